/*
 * What a failed transfer means, in a person's words (fetch_easy.h): the
 * one place where libcurl's result, the HTTP status and the TLS verdict
 * of an attempt become a DEPOT_E_* code and a detail that says what
 * happened and what to check, for archives (fetch.c) and metadata
 * (fetch_buffer.c) alike. libcurl's own words stay in parentheses, for
 * whoever searches for them.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "fetch_easy.h"

/* Host and port of `url` ("?" when it has none), for the words. */
static void host_port(const char *url, char host[256], long *port)
{
	CURLU *u = curl_url();
	char *h = NULL, *p = NULL;
	snprintf(host, 256, "?");
	*port = 0;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
			snprintf(host, 256, "%s", h);
		if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) ==
		    CURLUE_OK)
			sscanf(p, "%ld", port);
	}
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
}

static int http_failure(long status, const char *url, struct depot_diag *diag)
{
	const char *what =
		status == 404   ? "(not found): the mirror has no such file; "
				  "check that the mirror URL is the base of a "
				  "published tree (metadata/ and targets/ below "
				  "it) and that the file was published"
		: status == 403 ? "(forbidden): the server refuses this file; "
				  "check the server's access rules and that it "
				  "may read every file of the published tree"
		: status == 401
			? "(unauthorized): the server wants credentials, "
			  "which depot never sends; check the mirror URL"
		: status == 400 ? "(bad request): check the mirror URL; an "
				  "https server spoken to as http:// answers so"
		: status >= 500 ? "(server error): the server failed, not the "
				  "request; try again later or another mirror "
				  "(--mirror); the server's error log says why"
				: "from the server; check the mirror URL";
	return diag_set(diag, DEPOT_E_HTTP, url, "HTTP status %ld %s", status,
	                what);
}

/* The TLS verdicts: an unknown CA, a certificate for another name, a
 * handshake that failed for another reason. */
static int tls_failure(CURLcode code, const char *url, const char *host,
                       long port, const char *error, struct depot_diag *diag)
{
	if (code == CURLE_PEER_FAILED_VERIFICATION &&
	    strstr(error, "subject name"))
		return diag_set(
			diag, DEPOT_E_NETWORK, url,
			"the server's "
			"certificate is not made out to '%s' (%s); "
			"check the host name in the mirror URL: it must "
			"be a name the certificate names",
			host, error);
	if (code == CURLE_PEER_FAILED_VERIFICATION)
		return diag_set(
			diag, DEPOT_E_NETWORK, url,
			"the server's "
			"certificate is not signed by a CA this machine "
			"trusts (%s); check the mirror URL, and give the "
			"CA that signed the server's certificate with "
			"--ca-file FILE",
			error);
	return diag_set(diag, DEPOT_E_NETWORK, url,
	                "no TLS session with %s "
	                "port %ld (%s); check that the mirror URL's scheme "
	                "fits the server: https:// for a TLS port, http:// "
	                "for a plain one",
	                host, port, error);
}

int fetch_easy_failure(CURL *easy, CURLcode code, const char *url,
                       const char *error, const char *deadline,
                       struct depot_diag *diag)
{
	char host[256];
	long port, status = 0;
	curl_off_t connected = 0;
	const char *said = error && error[0] ? error : curl_easy_strerror(code);
	host_port(url, host, &port);
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connected);
	switch (code) {
	case CURLE_HTTP_RETURNED_ERROR:
		return http_failure(status, url, diag);
	case CURLE_COULDNT_CONNECT:
		return diag_set(
			diag, DEPOT_E_NETWORK, url,
			"nothing answers "
			"at %s port %ld (%s); check the host and port "
			"of the mirror URL and that its web server runs",
			host, port, said);
	case CURLE_COULDNT_RESOLVE_HOST:
		return diag_set(diag, DEPOT_E_NETWORK, url,
		                "the host name "
		                "'%s' is unknown (%s); check the mirror URL's "
		                "spelling and this machine's DNS",
		                host, said);
	case CURLE_OPERATION_TIMEDOUT:
		if (connected == 0)
			return diag_set(
				diag, DEPOT_E_TIMEOUT, url,
				"no "
				"connection to %s port %ld in time (%s); "
				"check the mirror URL, that its server "
				"runs and that no firewall drops the "
				"packets; --connect-timeout S sets the "
				"wait",
				host, port, said);
		return diag_set(diag, DEPOT_E_TIMEOUT, url,
		                "%s (%s); check "
		                "the network and the mirror, or give another "
		                "--mirror; --min-rate sets the slowest rate "
		                "accepted",
		                deadline, said);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		return tls_failure(code, url, host, port, said, diag);
	default:
		return diag_set(diag, DEPOT_E_NETWORK, url, "%s", said);
	}
}
