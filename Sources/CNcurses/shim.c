#include "CNcurses.h"

#include <execinfo.h>
#include <langinfo.h>
#include <pthread.h>
#include <ncursesw/term.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_termios;
static int saved_termios_valid = 0;
static volatile sig_atomic_t curses_active = 0;
static SCREEN *screen = NULL;
static struct sigaction previous_actions[32];
static int mouse_wanted = 0;

/* Leave the alternate screen, show the cursor, reset attributes, end bracketed paste and mouse reports. */
static const char reset_sequence[] = "\033[?1006l\033[?1000l\033[?2004l\033[0m\033[?25h\033[?1049l\r\n";

/* Mouse reports: clicks and the wheel (1000), in the SGR form (1006) that has no column limit. */
static void write_mouse_mode(int on) {
    fputs(on ? "\033[?1000h\033[?1006h" : "\033[?1006l\033[?1000l", stdout);
    fflush(stdout);
}

void ventia_curses_set_mouse(int on) {
    mouse_wanted = on;
    if (curses_active) {
        write_mouse_mode(on);
    }
}

void ventia_restore_terminal(void) {
    if (saved_termios_valid) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    }
    ssize_t ignored = write(STDOUT_FILENO, reset_sequence, sizeof(reset_sequence) - 1);
    (void)ignored;
}

/* Where crash reports go (the app's log file), and where standard error points while curses owns
 * the screen; -1 for none. */
static int report_fd = -1;
static int saved_stderr_fd = -1;
static volatile sig_atomic_t terminating = 0;

static const int terminating_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE};

static const char *signal_name(int signal_number) {
    switch (signal_number) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGQUIT: return "SIGQUIT";
    case SIGSEGV: return "SIGSEGV";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    default: return "a signal";
    }
}

static int is_fault(int signal_number) {
    return signal_number == SIGSEGV || signal_number == SIGILL || signal_number == SIGTRAP || signal_number == SIGABRT
        || signal_number == SIGBUS || signal_number == SIGFPE;
}

static void write_text(int fd, const char *text) {
    ssize_t ignored = write(fd, text, strlen(text));
    (void)ignored;
}

/* Every terminating signal: restore the terminal once, note the signal (and for a fault, the
 * stack) in the report file, then die of the same signal, so the shell sees the usual status. */
static volatile sig_atomic_t echo_hidden = 0;

static void terminating_signal_handler(int signal_number) {
    if (!terminating) {
        terminating = 1;
        if (curses_active) {
            curses_active = 0;
            ventia_restore_terminal();
        }
        if (echo_hidden) {
            echo_hidden = 0;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
            write_text(STDERR_FILENO, "\n");
        }
        if (report_fd >= 0) {
            write_text(report_fd, "ventia: terminated by ");
            write_text(report_fd, signal_name(signal_number));
            write_text(report_fd, "\n");
            if (is_fault(signal_number)) {
                void *frames[64];
                int count = backtrace(frames, 64);
                backtrace_symbols_fd(frames, count, report_fd);
            }
        }
    }
    signal(signal_number, SIG_DFL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, signal_number);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    raise(signal_number);
    _exit(128 + signal_number);
}

static void install_terminating_handlers(void) {
    for (size_t i = 0; i < sizeof(terminating_signals) / sizeof(terminating_signals[0]); i++) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = terminating_signal_handler;
        sigfillset(&action.sa_mask);
        sigaction(terminating_signals[i], &action, NULL);
    }
}

int ventia_hide_echo(void) {
    if (tcgetattr(STDIN_FILENO, &saved_termios) != 0) {
        return 0;
    }
    saved_termios_valid = 1;
    install_terminating_handlers();
    /* A parent may have left these blocked (the mask is inherited across exec): this thread,
     * which waits for the line, must hear them, or Ctrl-C would leave the echo off. */
    sigset_t terminating;
    sigemptyset(&terminating);
    sigaddset(&terminating, SIGHUP);
    sigaddset(&terminating, SIGINT);
    sigaddset(&terminating, SIGTERM);
    sigaddset(&terminating, SIGQUIT);
    pthread_sigmask(SIG_UNBLOCK, &terminating, NULL);
    struct termios quiet = saved_termios;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    echo_hidden = 1;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
        echo_hidden = 0;
        return 0;
    }
    return 1;
}

void ventia_show_echo(void) {
    if (echo_hidden) {
        echo_hidden = 0;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    }
}

void ventia_install_signal_handlers(int crash_report_fd) {
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) {
        saved_termios_valid = 1;
    }
    report_fd = crash_report_fd;
    /* backtrace() loads its unwinder on first use: do that now, not inside a signal handler. */
    void *warm[1];
    (void)backtrace(warm, 1);
    install_terminating_handlers();
    atexit(ventia_curses_stop);
}

/* While curses owns the screen, anything written to standard error (a runtime's fatal-error line)
 * goes to the report file instead of over the screen. */
static void divert_stderr(void) {
    if (report_fd < 0 || saved_stderr_fd >= 0) {
        return;
    }
    fflush(stderr);
    saved_stderr_fd = dup(STDERR_FILENO);
    if (saved_stderr_fd >= 0) {
        dup2(report_fd, STDERR_FILENO);
    }
}

static void restore_stderr(void) {
    if (saved_stderr_fd < 0) {
        return;
    }
    fflush(stderr);
    dup2(saved_stderr_fd, STDERR_FILENO);
    close(saved_stderr_fd);
    saved_stderr_fd = -1;
}

int ventia_setup_locale(void) {
    if (setlocale(LC_ALL, "") == NULL) {
        setlocale(LC_ALL, "C.UTF-8");
    }
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL || (strcmp(codeset, "UTF-8") != 0 && strcmp(codeset, "utf8") != 0)) {
        /* Under plain C every non-ASCII character would vanish: prefer C.UTF-8 when it exists. */
        if (setlocale(LC_ALL, "C.UTF-8") == NULL && setlocale(LC_ALL, "C.utf8") == NULL) {
            return 0;
        }
        setlocale(LC_NUMERIC, "C");
        codeset = nl_langinfo(CODESET);
        return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
    }
    return 1;
}

int ventia_curses_start(void) {
    const char *term = getenv("TERM");
    if (term == NULL || term[0] == '\0') {
        return -1;
    }
    int error = 0;
    /* setupterm reports an unknown TERM instead of exiting like initscr. */
    if (setupterm((char *)term, STDOUT_FILENO, &error) != 0 || error != 1) {
        return -1;
    }
    screen = newterm(term, stdout, stdin);
    if (screen == NULL) {
        return -1;
    }
    set_term(screen);
    raw();
    noecho();
    nonl();
    keypad(stdscr, FALSE);
    intrflush(stdscr, FALSE);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    curs_set(0);
    /* Bracketed paste: pasted text arrives wrapped in ESC[200~ ... ESC[201~. */
    fputs("\033[?2004h", stdout);
    fflush(stdout);
    curses_active = 1;
    divert_stderr();
    return 0;
}

void ventia_curses_stop(void) {
    if (!curses_active) {
        return;
    }
    curses_active = 0;
    restore_stderr();
    if (mouse_wanted) {
        write_mouse_mode(0);
    }
    fputs("\033[?2004l", stdout);
    fflush(stdout);
    curs_set(1);
    endwin();
    if (saved_termios_valid) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    }
}

int ventia_curses_lines(void) { return LINES; }
int ventia_curses_cols(void) { return COLS; }
int ventia_curses_colors(void) { return has_colors() ? COLORS : 0; }
int ventia_curses_color_pairs(void) { return has_colors() ? COLOR_PAIRS : 0; }

int ventia_curses_init_pair(int pair, int fg, int bg) {
    return init_pair((short)pair, (short)fg, (short)bg);
}

int ventia_curses_put(int y, int x, const wchar_t *text, unsigned attributes, int pair) {
    attr_t attr = A_NORMAL;
    if (attributes & VENTIA_ATTR_BOLD) attr |= A_BOLD;
    if (attributes & VENTIA_ATTR_DIM) attr |= A_DIM;
#ifdef A_ITALIC
    if (attributes & VENTIA_ATTR_ITALIC) attr |= A_ITALIC;
#endif
    if (attributes & VENTIA_ATTR_UNDERLINE) attr |= A_UNDERLINE;
    if (attributes & VENTIA_ATTR_REVERSE) attr |= A_REVERSE;
    cchar_t cell;
    if (setcchar(&cell, text, attr, (short)pair, NULL) != OK) {
        return ERR;
    }
    return mvadd_wch(y, x, &cell);
}

void ventia_curses_refresh(int show_caret, int caret_y, int caret_x) {
    if (show_caret) {
        move(caret_y, caret_x);
        curs_set(1);
    } else {
        curs_set(0);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

void ventia_curses_resize(void) {
    int rows = 0, cols = 0;
    if (ventia_terminal_size(&rows, &cols)) {
        resizeterm(rows, cols);
    }
}

void ventia_curses_clear(void) { clearok(stdscr, TRUE); }

int ventia_terminal_size(int *rows, int *cols) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0) {
        *rows = size.ws_row;
        *cols = size.ws_col;
        return 1;
    }
    return 0;
}

void ventia_curses_suspend(void) {
    if (!curses_active) {
        return;
    }
    restore_stderr();
    if (mouse_wanted) {
        write_mouse_mode(0);
    }
    fputs("\033[?2004l", stdout);
    fflush(stdout);
    def_prog_mode();
    endwin();
    if (saved_termios_valid) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    }
}

void ventia_curses_resume(void) {
    if (!curses_active) {
        return;
    }
    reset_prog_mode();
    divert_stderr();
    if (mouse_wanted) {
        write_mouse_mode(1);
    }
    fputs("\033[?2004h", stdout);
    fflush(stdout);
    clearok(stdscr, TRUE);
    refresh();
}
