#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, without which the wide-character API stays hidden.
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#endif
