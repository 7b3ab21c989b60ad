/*
 * The words for every status of libruntime (runtime/error.h): the one
 * place that names a code. Each module's codes sit in one switch below,
 * so two modules that claimed the same code would not compile (a
 * duplicate case); the table of ranges at the end says what each module
 * may use and what it defines, and the unit test error_test walks it.
 */
#include <runtime/error.h>

#include <runtime/allocator.h>
#include <runtime/arg_string.h>
#include <runtime/avl.h>
#include <runtime/elf.h>
#include <runtime/region_map.h>
#include <runtime/rpc.h>
#include <runtime/service.h>
#include <runtime/str.h>

#include "parent_rpc.h"

/* Words for a code of libruntime's own modules; NULL for any other. */
static const char *module_words(int status)
{
	switch (status) {
	case REGION_MAP_ERR_INVALID:
		return "address or offset not page-aligned, or no access flags";
	case REGION_MAP_ERR_OUT_OF_RANGE:
		return "range lies outside the region map or the dataspace";
	case REGION_MAP_ERR_OVERLAP:
		return "range overlaps an existing attachment";
	case REGION_MAP_ERR_NO_SPACE:
		return "no free range in the region map is large enough";
	case REGION_MAP_ERR_UNKNOWN_ADDRESS:
		return "no attachment at this address";
	case REGION_MAP_ERR_METADATA:
		return "out of memory for region-map book-keeping";

	case ALLOC_ERR_OUT_OF_MEMORY:
		return "out of memory: no free range is large enough";
	case ALLOC_ERR_QUOTA_EXCEEDED:
		return "allocation would exceed the quota";
	case ALLOC_ERR_INVALID:
		return "invalid size, alignment or range";
	case ALLOC_ERR_RANGE_CONFLICT:
		return "range is not free or overlaps a managed range";
	case ALLOC_ERR_METADATA:
		return "out of memory for allocator metadata";
	case ALLOC_ERR_NOT_ALLOCATED:
		return "address was not allocated";

	case STR_ERR_TRUNCATED:
		return "string truncated to fit the buffer";
	case STR_ERR_INVALID:
		return "no buffer or invalid format";

	case ARG_ERR_NOT_FOUND:
		return "no argument with this tag";
	case ARG_ERR_MALFORMED:
		return "malformed argument string (expected tag=value, ...)";
	case ARG_ERR_UNTERMINATED:
		return "argument string is not terminated within its buffer";
	case ARG_ERR_NO_SPACE:
		return "result does not fit the buffer";
	case ARG_ERR_NOT_A_NUMBER:
		return "value is not a number";
	case ARG_ERR_RANGE:
		return "number does not fit 64 bits";
	case ARG_ERR_BAD_TAG:
		return "tag is not an identifier";
	case ARG_ERR_BAD_VALUE:
		return "value is empty, has a comma outside quotes or an open quote";

	case AVL_ERR_ORDER:
		return "in-order walk is out of order";
	case AVL_ERR_BALANCE:
		return "subtree heights differ by more than one";
	case AVL_ERR_HEIGHT:
		return "stored subtree height is wrong";
	case AVL_ERR_LINK:
		return "parent pointer does not match";

	case SERVICE_ERR_INVALID:
		return "malformed service or owner name";
	case SERVICE_ERR_EXISTS:
		return "the service is already announced";
	case SERVICE_ERR_NOT_FOUND:
		return "no such service";
	case SERVICE_ERR_NOMEM:
		return "out of memory or capability selectors";

	case ELF_ERR_TRUNCATED:
		return "file is smaller than an elf64 header";
	case ELF_ERR_MAGIC:
		return "not an elf file (bad magic)";
	case ELF_ERR_CLASS:
		return "not a 64-bit elf file";
	case ELF_ERR_BYTE_ORDER:
		return "not a little-endian elf file";
	case ELF_ERR_VERSION:
		return "unknown elf version";
	case ELF_ERR_TYPE:
		return "neither an executable nor a shared object";
	case ELF_ERR_HEADER_SIZE:
		return "elf header size is wrong";
	case ELF_ERR_PH_ENTRY_SIZE:
		return "program header entry size is wrong";
	case ELF_ERR_PH_BOUNDS:
		return "program header table lies outside the file";
	case ELF_ERR_NO_SEGMENTS:
		return "no loadable segment";
	case ELF_ERR_SEGMENT_BOUNDS:
		return "segment lies outside the file";
	case ELF_ERR_SEGMENT_SIZE:
		return "segment memory size is below its file size";
	case ELF_ERR_SEGMENT_ALIGN:
		return "segment alignment is invalid";
	case ELF_ERR_OVERFLOW:
		return "segment address range wraps around";
	case ELF_ERR_INDEX:
		return "no loadable segment with this index";

	case RPC_ERR_WRONG_INTERFACE:
		return "the capability names an object of another interface";
	case RPC_ERR_INVALID_OPCODE:
		return "the interface has no function with this opcode";
	case RPC_ERR_MALFORMED_REQUEST:
		return "the server rejected the request as malformed";
	case RPC_ERR_SERVER:
		return "the server's operation returned an undeclared error "
		       "or an output beyond its bound";
	case RPC_ERR_MALFORMED_REPLY:
		return "the reply of the server is malformed";
	case RPC_ERR_BAD_ARGUMENT:
		return "an argument exceeds the bound its interface declares";
	default:
		return NULL;
	}
}

const char *runtime_strerror(int status)
{
	const char *words;

	if (status == 0)
		return "success";
	if (status < 0 && status >= RUNTIME_ERR_KERNEL_BASE)
		return kerr_str(status);
	if (status > 0 && (uint32_t)status <= parent_rpc.error_count)
		return parent_rpc.errors[status - 1].text;
	words = module_words(status);
	return words ? words : "unknown error";
}

#define RANGE(name, base, first, last)                                 \
	{                                                              \
		name, base, (base) + RUNTIME_ERR_SPAN - 1, first, last \
	}

static const struct runtime_error_range ranges[] = {
	{ "kernel", RUNTIME_ERR_KERNEL_BASE, -1, KERR_LIMIT, KERR_INVALID },
	RANGE("region map", RUNTIME_ERR_REGION_MAP_BASE, REGION_MAP_ERR_INVALID,
	      REGION_MAP_ERR_METADATA),
	RANGE("allocator", RUNTIME_ERR_ALLOC_BASE, ALLOC_ERR_OUT_OF_MEMORY,
	      ALLOC_ERR_NOT_ALLOCATED),
	RANGE("string", RUNTIME_ERR_STR_BASE, STR_ERR_TRUNCATED,
	      STR_ERR_INVALID),
	RANGE("argument string", RUNTIME_ERR_ARG_BASE, ARG_ERR_NOT_FOUND,
	      ARG_ERR_BAD_VALUE),
	RANGE("avl", RUNTIME_ERR_AVL_BASE, AVL_ERR_ORDER, AVL_ERR_LINK),
	RANGE("service registry", RUNTIME_ERR_SERVICE_BASE, SERVICE_ERR_INVALID,
	      SERVICE_ERR_NOMEM),
	RANGE("elf", RUNTIME_ERR_ELF_BASE, ELF_ERR_TRUNCATED, ELF_ERR_INDEX),
	/* error_test checks that the last is parent_rpc.error_count */
	{ "parent interface", 1, (int)RPC_MAX_ERRORS, 1, PARENT_ERR_ENDED },
	{ "rpc", RPC_ERR_WRONG_INTERFACE, 0x1ff, RPC_ERR_WRONG_INTERFACE,
	  RPC_ERR_BAD_ARGUMENT },
};

const struct runtime_error_range *runtime_error_ranges(size_t *count)
{
	*count = sizeof ranges / sizeof ranges[0];
	return ranges;
}
