#ifndef CNCURSES_H
#define CNCURSES_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <ncursesw/curses.h>
#include <locale.h>
#include <wchar.h>
#include <stdbool.h>

/// Opens the terminal for full-screen drawing. Returns 0 on success, -1 when TERM is unknown
/// or unusable (ncurses would otherwise print an error and exit).
int ventia_curses_start(void);
/// Leaves curses mode and restores the terminal; safe to call more than once.
void ventia_curses_stop(void);
int ventia_curses_lines(void);
int ventia_curses_cols(void);
/// Number of colors the terminal offers (0 when it has none).
int ventia_curses_colors(void);
int ventia_curses_color_pairs(void);
/// Defines pair `pair` as (fg, bg); -1 means the terminal's default color.
int ventia_curses_init_pair(int pair, int fg, int bg);
/// Draws one grapheme (a NUL-terminated wide string of at most 5 code points) at (y, x).
int ventia_curses_put(int y, int x, const wchar_t *text, unsigned attributes, int pair);
void ventia_curses_refresh(int cursor_visible, int cursor_y, int cursor_x);
/// Tells curses the terminal's new size after SIGWINCH.
void ventia_curses_resize(void);
void ventia_curses_clear(void);
/// Gives the terminal back (for $EDITOR) and takes it again afterwards.
void ventia_curses_suspend(void);
/* Turns mouse reports on or off (kept across suspend and resume, turned off at exit). */
void ventia_curses_set_mouse(int on);
void ventia_curses_resume(void);

/// Attribute bits for ventia_curses_put.
enum {
    VENTIA_ATTR_BOLD = 1,
    VENTIA_ATTR_DIM = 2,
    VENTIA_ATTR_ITALIC = 4,
    VENTIA_ATTR_UNDERLINE = 8,
    VENTIA_ATTR_REVERSE = 16,
};

/// Saves the terminal's state and installs handlers so that every terminating signal (SIGHUP,
/// SIGINT, SIGTERM, SIGQUIT and the faults) restores it once and ends the process with that
/// signal's status. With `crash_report_fd` >= 0 the signal (and a fault's stack) is written there,
/// and standard error points there while curses owns the screen. Call before ventia_curses_start.
void ventia_install_signal_handlers(int crash_report_fd);
/// Restores the terminal saved by ventia_install_signal_handlers (termios and escape modes).
void ventia_restore_terminal(void);

/// Turns the terminal's echo off (for a secret typed at a prompt) and installs the terminating
/// signal handlers, so that Ctrl-C, SIGTERM or SIGHUP give the echo back before the process ends.
/// Returns 0 when standard input is not a terminal (nothing changed).
int ventia_hide_echo(void);
/// Gives the echo back after ventia_hide_echo.
void ventia_show_echo(void);

/// The terminal size read with TIOCGWINSZ; 0 on failure.
int ventia_terminal_size(int *rows, int *cols);
/// Sets up the locale for UTF-8; returns 1 when the locale's character set is UTF-8.
int ventia_setup_locale(void);

#endif
