/*
 * The watcher of DIR/config/ (config_watch.h): inotify plus a pipe that
 * tells the thread to stop, both in one poll().
 */
#include "config_watch.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

struct config_watch {
	kthread_t *thread;
	int inotify_fd;
	int stop[2]; /* pipe: the stop request */
	kcap_t signal;
};

static void watch_main(void *arg)
{
	struct config_watch *w = arg;
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = w->inotify_fd, .events = POLLIN },
			{ .fd = w->stop[0], .events = POLLIN },
		};
		if (poll(fds, 2, -1) < 0)
			continue;
		if (fds[1].revents)
			return;
		char events[4096];
		if (read(w->inotify_fd, events, sizeof(events)) > 0)
			(void)ksignal_submit(w->signal, 1);
	}
}

int config_watch_start(struct config_watch **out, const char *dir,
                       kcap_t signal)
{
	struct config_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return KERR_NOMEM;
	w->stop[0] = w->stop[1] = -1;
	w->inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (w->inotify_fd < 0 || pipe2(w->stop, O_CLOEXEC) != 0 ||
	    inotify_add_watch(w->inotify_fd, dir,
	                      IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
	                              IN_CREATE | IN_DELETE) < 0 ||
	    kcap_copy(signal, &w->signal) != 0)
		goto fail;
	if (kthread_create(&w->thread, "config-watch", (size_t)64 * 1024,
	                   watch_main, w) != 0) {
		kcap_close(w->signal);
		goto fail;
	}
	*out = w;
	return 0;
fail:
	if (w->inotify_fd >= 0)
		close(w->inotify_fd);
	if (w->stop[0] >= 0) {
		close(w->stop[0]);
		close(w->stop[1]);
	}
	free(w);
	return KERR_INVALID;
}

void config_watch_stop(struct config_watch *w)
{
	if (!w)
		return;
	ssize_t ignored = write(w->stop[1], "x", 1);
	(void)ignored;
	kthread_join(w->thread);
	close(w->inotify_fd);
	close(w->stop[0]);
	close(w->stop[1]);
	kcap_close(w->signal);
	free(w);
}
