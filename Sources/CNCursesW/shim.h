// The only C seen by Swift for the terminal: wide-character ncurses, plus small functions for
// what Swift cannot import (function-like macros, and globals that Swift 6 rejects).
#ifndef RERANKBENCH_CNCURSESW_SHIM_H
#define RERANKBENCH_CNCURSESW_SHIM_H

// SwiftPM drops ncursesw's -D flags, so ask for the wide API here (see shared/spec/ncurses-on-linux.md).
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *rb_stdscr(void) { return stdscr; }
/// newterm on the process's own stdout/stdin (Swift 6 rejects the C globals).
static inline SCREEN *rb_newterm(const char *type) { return newterm(type, stdout, stdin); }
static inline int rb_lines(void) { return LINES; }
static inline int rb_cols(void) { return COLS; }
static inline int rb_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int rb_a_bold(void) { return (int)A_BOLD; }
static inline int rb_a_dim(void) { return (int)A_DIM; }
static inline int rb_a_reverse(void) { return (int)A_REVERSE; }
static inline int rb_a_underline(void) { return (int)A_UNDERLINE; }
static inline int rb_key_code_yes(void) { return KEY_CODE_YES; }

/// Writes one UTF-8 grapheme (a few code points at most) at (y, x) with attributes and pair.
static inline int rb_put_cell(int y, int x, const wchar_t *text, int attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, (attr_t)attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// Asks for left presses and the wheel only (normal tracking: no drag or motion reports, so a
/// terminal's Shift-drag selection stays its own), delivered at once rather than after the
/// click interval. `on` = 0 turns reporting off. Returns OK when the terminal can report.
static inline int rb_mouse(int on) {
    mmask_t mask = on ? (BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0;
    mouseinterval(0);
    mmask_t got = mousemask(mask, NULL);
    return (on && got == 0) ? ERR : OK;
}

/// The mouse event curses just reported as KEY_MOUSE: 1 a left press, 4 wheel up, 5 wheel
/// down, 0 anything else (a release, or any event with Shift held, which belongs to the
/// terminal's own selection).
static inline int rb_get_mouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    *x = e.x;
    *y = e.y;
    if (e.bstate & BUTTON_SHIFT) return 0;
    if (e.bstate & BUTTON1_PRESSED) return 1;
    if (e.bstate & BUTTON4_PRESSED) return 4;
    if (e.bstate & BUTTON5_PRESSED) return 5;
    return 0;
}
#endif
