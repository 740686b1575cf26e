/* DNS messages (RFC 1035): one question, answers of type A, AAAA
 * (RFC 3596) and CNAME, any rcode. Names are written uncompressed and parsed with
 * compression pointers (loops rejected). */
#ifndef SIM_DNS_H
#define SIM_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_DNS_PORT 53u
#define SIM_DNS_NAME_MAX 255u       /* presentation form, no trailing dot */
#define SIM_DNS_MAX_ANSWERS 16u
#define SIM_DNS_TYPE_A 1u
#define SIM_DNS_TYPE_CNAME 5u
#define SIM_DNS_TYPE_AAAA 28u
#define SIM_DNS_CLASS_IN 1u
#define SIM_DNS_RCODE_NOERROR 0u
#define SIM_DNS_RCODE_SERVFAIL 2u
#define SIM_DNS_RCODE_NXDOMAIN 3u
#define SIM_DNS_AAAA_STRLEN 46u     /* an IPv6 address's text and its NUL */

typedef struct {
  char name[SIM_DNS_NAME_MAX + 1];   /* owner, lower case, no trailing dot */
  uint16_t type;                     /* A, AAAA or CNAME */
  uint32_t ttl;
  uint32_t a;                        /* A: address, host order */
  char cname[SIM_DNS_NAME_MAX + 1];  /* CNAME: target */
  uint8_t aaaa[16];                  /* AAAA: address, network order */
} SimDnsRecord;

typedef struct {
  uint16_t id;
  bool response;
  bool recursion_desired, recursion_available, authoritative;
  uint8_t rcode;
  char qname[SIM_DNS_NAME_MAX + 1];
  uint16_t qtype;
  uint32_t n_answers;
  SimDnsRecord answers[SIM_DNS_MAX_ANSWERS];
} SimDnsMessage;

/* Writes the message; returns its length, or 0 when it does not fit in
 * cap or a name is invalid (label > 63, name > 255). */
size_t sim_dns_write (const SimDnsMessage *msg, uint8_t *out, size_t cap);
/* Parses a message; false when malformed. Record types other than A,
 * AAAA and CNAME are skipped. */
bool sim_dns_parse (const uint8_t *data, size_t len, SimDnsMessage *out);

/* An AAAA record's address as text (RFC 5952: lower case, the longest
 * run of zero groups as "::") in out (SIM_DNS_AAAA_STRLEN bytes);
 * returns out. */
const char *sim_dns_aaaa_to_string (const uint8_t aaaa[16], char *out);
/* Reads an IPv6 address in text form into aaaa; false when text is not
 * one. */
bool sim_dns_aaaa_parse (const char *text, uint8_t aaaa[16]);

#endif
