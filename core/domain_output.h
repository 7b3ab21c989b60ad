/*
 * Domain output: what protection domains write to their standard output
 * and error, read by core and handed on as labelled log lines (core/
 * README.md, "Standard output and error"). Core's PD service gives every
 * domain it starts one pipe for stdout and one for stderr
 * (domain_output_open) and passes the write ends to kpd_create(); a reader
 * thread of core watches all read ends, splits what arrives into lines
 * (output_lines.h) and calls the sink with the PD's label and the line
 * marked "(stdout) ..." or "(stderr) ...".
 *
 * A pipe is read until its end (every writer gone: the domain closed it or
 * ended), then its partial line is flushed, it is closed and no longer
 * watched. domain_output_stop() reads what is left, bounded, and ends the
 * thread.
 */
#ifndef CORE_DOMAIN_OUTPUT_H
#define CORE_DOMAIN_OUTPUT_H

/* Where lines go, one at a time: called on the reader thread, and by
 * domain_output_stop() on the thread that stops it. */
typedef void domain_output_sink(void *arg, const char *label, const char *line);

struct domain_output;

/* Starts the reader thread. 0 or KERR_NOMEM (no thread, epoll or
 * eventfd to be had). */
int domain_output_start(struct domain_output **output, domain_output_sink *sink,
                        void *sink_arg);

/* Makes the two pipes of a domain labelled `label` and starts watching
 * them: write_fds[0] is for its stdout, write_fds[1] for its stderr. The
 * caller closes both once the domain has its copies (or failed to start).
 * 0 or KERR_NOMEM (no descriptors left). Not after domain_output_stop(). */
int domain_output_open(struct domain_output *output, const char *label,
                       int write_fds[2]);

/* Closes core's copies of the write ends once the domain has its own
 * (kpd_create made them, or failed). */
void domain_output_handed_over(int write_fds[2]);

/* Reads what is left in every pipe (at most a pipe's worth each), hands
 * on the partial lines, closes every pipe and ends the thread. Call it
 * once the domains have ended: a domain that still writes finds its pipe
 * closed (its write fails with EPIPE). */
void domain_output_stop(struct domain_output *output);

#endif
