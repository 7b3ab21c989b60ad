/*
 * --passphrase-file for the signing commands of `depot` (keygen, publish,
 * timestamp): reads the passphrase that encrypts private keys from a file,
 * never from the command line (which other users can read in ps).
 */
#ifndef DEPOT_TOOL_PASSPHRASE_H
#define DEPOT_TOOL_PASSPHRASE_H

enum { PASSPHRASE_MAX = 1024 };

/* Reads the first line of `file` (without its newline) into out; 0, or
 * 1 after printing an error. An empty passphrase is refused. */
int passphrase_read(const char *file, char out[PASSPHRASE_MAX]);

#endif
