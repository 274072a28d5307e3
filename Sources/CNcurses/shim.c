#include "CNcurses.h"

#include <langinfo.h>
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

/* Leave the alternate screen, show the cursor, reset attributes, end bracketed paste. */
static const char reset_sequence[] = "\033[?2004l\033[0m\033[?25h\033[?1049l\r\n";

void ventia_restore_terminal(void) {
    if (saved_termios_valid) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    }
    ssize_t ignored = write(STDOUT_FILENO, reset_sequence, sizeof(reset_sequence) - 1);
    (void)ignored;
}

static void crash_handler(int signal_number) {
    if (curses_active) {
        curses_active = 0;
        ventia_restore_terminal();
    }
    /* Hand over to whoever was there before (Swift's backtracer), then re-raise. */
    if (signal_number > 0 && signal_number < 32) {
        sigaction(signal_number, &previous_actions[signal_number], NULL);
    }
    raise(signal_number);
}

void ventia_install_crash_restore(void) {
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) {
        saved_termios_valid = 1;
    }
    int signals[] = {SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE};
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = crash_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_NODEFER;
        sigaction(signals[i], &action, &previous_actions[signals[i]]);
    }
    atexit(ventia_curses_stop);
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
    return 0;
}

void ventia_curses_stop(void) {
    if (!curses_active) {
        return;
    }
    curses_active = 0;
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
    fputs("\033[?2004h", stdout);
    fflush(stdout);
    clearok(stdscr, TRUE);
    refresh();
}
