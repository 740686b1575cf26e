/* Google's public addresses that the simulator knows, in one place
 * (docs/networking.md, "Inside the VPC", "DNS"): the front ends that serve
 * run.app and mapped custom domains, and the Private Google Access VIPs of private.googleapis.com and
 * restricted.googleapis.com. Public DNS answers with them, the GFE listens
 * on them, and a VPC router treats them as Google destinations. */
#ifndef CLOUDRUN_GOOGLE_H
#define CLOUDRUN_GOOGLE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/ipv6.h"

#define CLOUDRUN_GOOGLE_FRONT_ENDS 0xd8ef2000u    /* 216.239.32.0/19 */
#define CLOUDRUN_GOOGLE_FRONT_ENDS_LEN 19u
#define CLOUDRUN_PRIVATE_VIPS 0xc7249908u         /* 199.36.153.8/30 */
#define CLOUDRUN_RESTRICTED_VIPS 0xc7249904u      /* 199.36.153.4/30 */
#define CLOUDRUN_VIPS_LEN 30u
#define CLOUDRUN_N_RUN_APP_FRONT_ENDS 4u
#define CLOUDRUN_DNS_FORWARDERS 0x23c7c000u      /* 35.199.192.0/19:
                                                     Cloud DNS forwarding
                                                     sources */
#define CLOUDRUN_DNS_FORWARDERS_LEN 19u
#define CLOUDRUN_METADATA_ADDR 0xa9fea9feu        /* 169.254.169.254: the
                                                     metadata server and
                                                     its DNS resolver */
/* The metadata server (and resolver) of an IPv6-only VM: the address
 * public code names as Google Cloud's IPv6 metadata server (Google's
 * own page not found; docs/networking.md, IPv6-only VMs). */
#define CLOUDRUN_METADATA_ADDR6 "fd20:ce::254"

/* 216.239.32.53, .34.53, .36.53, .38.53: public DNS's run.app answers. */
extern const uint32_t cloudrun_run_app_front_ends[CLOUDRUN_N_RUN_APP_FRONT_ENDS];

/* 216.239.32.21, .34.21, .36.21, .38.21: the A records Cloud Run asks a
 * mapped domain of two labels to hold; public DNS also answers
 * ghs.googlehosted.com, the CNAME target of a mapped subdomain, with them
 * (run/docs/mapping-custom-domains). */
extern const uint32_t cloudrun_mapping_front_ends[CLOUDRUN_N_RUN_APP_FRONT_ENDS];
#define CLOUDRUN_MAPPING_CNAME "ghs.googlehosted.com"

/* The IPv6 addresses public DNS answers AAAA queries with (network
 * order; no caller asks yet). run.app: 2001:4860:4802:32::35, :34::35,
 * :36::35, :38::35 [assumption: the IPv4 answers' pattern in Google's
 * IPv6 front-end range]. */
extern const uint8_t
  cloudrun_run_app_front_ends6[CLOUDRUN_N_RUN_APP_FRONT_ENDS][16];
/* 2001:4860:4802:32::15, :34::15, :36::15, :38::15: the AAAA records
 * Cloud Run asks a mapped domain of two labels to hold, also public
 * DNS's AAAA answer for ghs.googlehosted.com. */
extern const uint8_t
  cloudrun_mapping_front_ends6[CLOUDRUN_N_RUN_APP_FRONT_ENDS][16];
/* 2600:2d00:2:2000:: and 2600:2d00:2:1000::, the first addresses of
 * private.googleapis.com's and restricted.googleapis.com's IPv6 ranges
 * (2600:2d00:2:2000::/56, 2600:2d00:2:1000::/56; vpc/docs/
 * configure-private-google-access): public DNS's AAAA answers. */
#define CLOUDRUN_VIPS6_LEN 56u
extern const uint8_t cloudrun_private_vip6[16];
extern const uint8_t cloudrun_restricted_vip6[16];

/* A run.app front end or a Private Google Access VIP. */
bool cloudrun_google_destination (uint32_t dst);
/* One of the VIPs of private.googleapis.com or restricted.googleapis.com. */
bool cloudrun_google_vip (uint32_t dst);
/* 2001:4860:4802::/48: Google's IPv6 front ends as the simulator routes
 * them (the internet's route to the GFE). */
extern const SimIp6 cloudrun_google_front_ends6;
#define CLOUDRUN_GOOGLE_FRONT_ENDS6_LEN 48u
/* IPv6: a front end of 2001:4860:4802::/48 (the range the AAAA answers
 * above sit in; not all of 2001:4860::/32, which holds Google Public DNS
 * too), or an address of the VIPs' /56s. */
bool cloudrun_google_destination6 (const SimIp6 *dst);
/* In private.googleapis.com's or restricted.googleapis.com's IPv6 /56. */
bool cloudrun_google_vip6 (const SimIp6 *dst);
/* A unique local address (fc00::/7, RFC 4193): Google's internal IPv6
 * ranges (fd20::/20) are of them, and no internet gateway delivers one. */
bool cloudrun_private_address6 (const SimIp6 *dst);
/* An internal address (RFC 1918, RFC 6598) that no internet gateway
 * delivers. */
bool cloudrun_private_address (uint32_t dst);
/* In 35.199.192.0/19, where Cloud DNS sends forwarded queries from. */
bool cloudrun_dns_forwarder (uint32_t addr);

#endif
