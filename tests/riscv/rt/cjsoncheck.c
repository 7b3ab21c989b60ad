/*
 * cJSON on riscv64 (tests/riscv/run-suite, cjson_runs): a client
 * component, started by the core stand-in after a server announced, that
 * parses a JSON text with cJSON cross-built against picolibc, prints it
 * back and exits with 0 when the print is what cJSON gives on linux. The
 * numbers exercise what cJSON takes from the C library beyond malloc:
 * strtod, sprintf of "%1.15g" and "%1.17g", sscanf of "%lg" (picolibc's
 * stdio with doubles, soft-float on lp64).
 */
#include <runtime/env.h>

#include <cjson/cJSON.h>

#include <string.h>

static const char text[] =
	"{\"greeting\": \"hi\", \"n\": [1, -2.5, 0.1, 1e300, 123456789012],"
	" \"nested\": {\"ok\": true, \"none\": null}}";
static const char expected[] =
	"{\"greeting\":\"hi\",\"n\":[1,-2.5,0.1,1e+300,123456789012],"
	"\"nested\":{\"ok\":true,\"none\":null}}";

void component_construct(env_t *env)
{
	cJSON *json = cJSON_Parse(text);
	char *printed = json ? cJSON_PrintUnformatted(json) : NULL;
	env_log(env, "cJSON %s printed %s", cJSON_Version(),
	        printed ? printed : "nothing (parse failed)");
	int same = printed && strcmp(printed, expected) == 0;
	cJSON_free(printed);
	cJSON_Delete(json);
	env_exit(env, same ? 0 : 1);
}
