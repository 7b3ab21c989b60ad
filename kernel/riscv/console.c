/*
 * The kernel console (console.h): a small printf over sbi_console_putchar.
 * Output is unbuffered, so a line printed just before a panic or an exit
 * through the test finisher is never lost.
 */
#include <stdarg.h>
#include <stdint.h>

#include "console.h"
#include "sbi.h"

static void put_str(const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		sbi_console_putchar(*s++);
}

static void put_unsigned(uint64_t v, unsigned base)
{
	char buf[24];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		sbi_console_putchar(buf[--n]);
}

static void put_signed(int64_t v)
{
	if (v < 0) {
		sbi_console_putchar('-');
		put_unsigned((uint64_t)0 - (uint64_t)v, 10);
	} else {
		put_unsigned((uint64_t)v, 10);
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sbi_console_putchar(*fmt);
			continue;
		}
		int is_long = 0;
		if (fmt[1] == 'l') {
			is_long = 1;
			fmt++;
		}
		switch (*++fmt) {
		case 's':
			put_str(va_arg(ap, const char *));
			break;
		case 'c':
			sbi_console_putchar((char)va_arg(ap, int));
			break;
		case 'd':
			put_signed(is_long ? va_arg(ap, long)
			                   : va_arg(ap, int));
			break;
		case 'u':
			put_unsigned(is_long ? va_arg(ap, unsigned long)
			                     : va_arg(ap, unsigned),
			             10);
			break;
		case 'x':
			put_unsigned(is_long ? va_arg(ap, unsigned long)
			                     : va_arg(ap, unsigned),
			             16);
			break;
		case 'p':
			put_str("0x");
			put_unsigned((uintptr_t)va_arg(ap, void *), 16);
			break;
		case '%':
			sbi_console_putchar('%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			sbi_console_putchar('?');
			break;
		}
	}
	va_end(ap);
}

void console_write_untrusted(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		int shown = (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t';
		sbi_console_putchar(shown ? c : '?');
	}
}
