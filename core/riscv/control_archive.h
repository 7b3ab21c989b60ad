/*
 * The `archive` frame of the control channel (control.c): a host pushes a
 * whole depot archive while the system runs, as `depot download` installs
 * one into DIR/depot/ on linux (tests/riscv/push-archive writes it):
 *
 *     archive ARCHIVE COUNT          ARCHIVE its name with its version
 *     file NAME SIZE SHA256          COUNT times, each followed by the
 *     <SIZE bytes>                   file's bytes
 *
 * Core keeps it (pushed_archives.h) only when every part passed, serves
 * its files for rom_from="depot" from then on, and has the ROM service
 * make every depot index with sessions anew, so init sees the archive.
 */
#ifndef CORE_RISCV_CONTROL_ARCHIVE_H
#define CORE_RISCV_CONTROL_ARCHIVE_H

struct config_watch;

/* Whether `line` is the header of an archive frame. */
int control_archive_frame(const char *line);

/* Takes the frame whose header is `line` (changed here): 0, or -1 when
 * it was refused (said on one line, nothing of it kept). */
int control_archive_take(struct config_watch *w, char *line);

#endif
