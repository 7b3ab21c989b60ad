/*
 * The watcher of DIR/config/: a thread that blocks on inotify and submits
 * a signal whenever a file there is written, created, renamed or removed.
 * What changed is found out by whoever receives the signal (the ROM
 * service compares each module's file with what it read).
 */
#ifndef CORE_CONFIG_WATCH_H
#define CORE_CONFIG_WATCH_H

#include <kernel/kernel.h>

struct config_watch;

/* Starts watching `dir`; `signal` is submitted (the watch keeps a copy).
 * 0 or a KERR_*. */
int config_watch_start(struct config_watch **watch, const char *dir,
                       kcap_t signal);

/* Stops the thread and frees the watch. */
void config_watch_stop(struct config_watch *watch);

#endif
