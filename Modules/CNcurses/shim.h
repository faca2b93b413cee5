#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, without which the wide-character API stays hidden.
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <sys/ioctl.h>

// Swift 6 rejects reads of mutable C globals and cannot import function-like macros or variadic
// functions, so each one gets a one-line accessor. These translate only: no loops, state or policy.

/// The `stdscr` window (a mutable global in C).
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
/// The C `stdin` stream (a mutable global in C), for `newterm`.
static inline FILE *cnc_stdin(void) { return stdin; }
/// The C `stdout` stream (a mutable global in C), for `newterm`.
static inline FILE *cnc_stdout(void) { return stdout; }
/// The `getmaxy` macro: the number of rows of a window.
static inline int cnc_getmaxy(const WINDOW *window) { return getmaxy(window); }
/// The `getmaxx` macro: the number of columns of a window.
static inline int cnc_getmaxx(const WINDOW *window) { return getmaxx(window); }
/// The `A_NORMAL` attribute.
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
/// The `A_BOLD` attribute.
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
/// The `A_DIM` attribute.
static inline attr_t cnc_a_dim(void) { return A_DIM; }
/// The `A_REVERSE` attribute.
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
/// The `A_UNDERLINE` attribute.
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
/// `COLORS`: how many colours the terminal has, after `start_color` (a mutable global, or a macro).
static inline int cnc_colors(void) { return COLORS; }
/// `COLOR_PAIRS`: how many colour pairs the terminal has, after `start_color` (a mutable global, or a macro).
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
/// `ioctl(fd, TIOCGWINSZ, size)`: the terminal size (`ioctl` is variadic, which Swift cannot call).
static inline int cnc_get_window_size(int fd, struct winsize *size) { return ioctl(fd, TIOCGWINSZ, size); }
/// libc `wcwidth(3)`, which glibc declares only under `_XOPEN_SOURCE`: the columns curses gives a character.
static inline int cnc_wcwidth(wchar_t character) { extern int wcwidth(wchar_t); return wcwidth(character); }
// Last: term.h defines capability macros (`lines`, `columns`) that must not reach the accessors above.
#include <ncursesw/term.h>
#endif
