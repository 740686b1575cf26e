/* Tests for models/world/internet.c (the public internet as one router)
 * on a tiny world: probes "client", "site" (203.0.113.0/24 behind port
 * site) and "other" (198.51.100.0/24, with 198.51.100.128/25 on "more").
 *
 * Probes: the frames each side received (addresses, TTL), the router's
 * no_route counter, its APPLY_ROUTE step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/internet.h"
#include "tests/models/world/tiny-world.h"

#define CLIENT TW_IP (192, 0, 2, 10)
#define SITE TW_IP (203, 0, 113, 10)

typedef struct {
  TinyWorld *tw;
  CloudRunInternet *net;
  TinyProbe *client, *site, *other, *more;
} NetWorld;

static NetWorld
net_world (void)
{
  NetWorld n = { tiny_world_new (2), NULL, NULL, NULL, NULL, NULL };

  n.net = cloudrun_internet_new (n.tw->world);
  n.client = tiny_probe_new (n.tw, "client");
  n.site = tiny_probe_new (n.tw, "site");
  n.other = tiny_probe_new (n.tw, "other");
  n.more = tiny_probe_new (n.tw, "more");
  tiny_link (n.tw, n.client->port,
             cloudrun_internet_attach (n.net, "client", CLIENT, 32,
                                       "client"));
  tiny_link (n.tw, n.site->port,
             cloudrun_internet_attach (n.net, "site",
                                       TW_IP (203, 0, 113, 0), 24, "site"));
  tiny_link (n.tw, n.other->port,
             cloudrun_internet_attach (n.net, "other",
                                       TW_IP (198, 51, 100, 0), 24, "other"));
  tiny_link (n.tw, n.more->port,
             cloudrun_internet_attach (n.net, "more",
                                       TW_IP (198, 51, 100, 128), 25,
                                       "more"));
  return n;
}

static void
test_internet__routes_and_decrements_ttl (void **state)
{
  NetWorld n = net_world ();
  const TinyFrame *f;
  const SimExplainStep *s;

  (void) state;
  tiny_probe_send_tcp (n.client, 0, CLIENT, 40000, SITE, 80, SIM_TCP_SYN, 64,
                       0, 1);
  tiny_world_run (n.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (n.site), 1);
  f = tiny_probe_frame (n.site, 0);
  assert_int_equal (f->f.src, CLIENT);
  assert_int_equal (f->f.dst, SITE);
  assert_int_equal (f->f.ttl, 63);
  /* The header checksum was fixed with the TTL. */
  assert_true (sim_frame_checksums_ok (&f->f));
  s = tiny_step (n.tw, 1, "APPLY_ROUTE", "internet");
  assert_non_null (s);
  assert_string_equal (s->rule, "internet route 203.0.113.0/24 to site");
  assert_int_equal (n.net->no_route, 0);
  tiny_world_free (n.tw);
}

static void
test_internet__longest_prefix_wins (void **state)
{
  NetWorld n = net_world ();

  (void) state;
  tiny_probe_send_tcp (n.client, 0, CLIENT, 40000, TW_IP (198, 51, 100, 7),
                       80, SIM_TCP_SYN, 64, 0, 0);
  tiny_probe_send_tcp (n.client, 0, CLIENT, 40001, TW_IP (198, 51, 100, 200),
                       80, SIM_TCP_SYN, 64, 0, 0);
  tiny_world_run (n.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (n.other), 1);
  assert_int_equal (tiny_probe_frame (n.other, 0)->f.dst,
                    TW_IP (198, 51, 100, 7));
  assert_int_equal (tiny_probe_count (n.more), 1);
  assert_int_equal (tiny_probe_frame (n.more, 0)->f.dst,
                    TW_IP (198, 51, 100, 200));
  tiny_world_free (n.tw);
}

static void
test_internet__no_route_and_expired_ttl_are_counted (void **state)
{
  NetWorld n = net_world ();

  (void) state;
  tiny_probe_send_tcp (n.client, 0, CLIENT, 40000, TW_IP (8, 8, 8, 8), 53,
                       SIM_TCP_SYN, 64, 0, 0);
  tiny_probe_send_tcp (n.client, 0, CLIENT, 40001, SITE, 80, SIM_TCP_SYN, 1,
                       0, 0);
  tiny_world_run (n.tw, SIM_MS);
  assert_int_equal (n.net->no_route, 2);
  assert_int_equal (tiny_probe_count (n.site), 0);
  assert_int_equal (tiny_probe_count (n.other), 0);
  assert_int_equal (tiny_probe_count (n.more), 0);
  tiny_world_free (n.tw);
}

static void
test_internet__explains_the_syn_only (void **state)
{
  NetWorld n = net_world ();

  (void) state;
  tiny_probe_send_tcp (n.client, 0, CLIENT, 40000, SITE, 80, SIM_TCP_ACK, 64,
                       10, 1);
  tiny_world_run (n.tw, SIM_MS);
  /* Data is routed but takes no step: steps are per connection. */
  assert_int_equal (tiny_probe_count (n.site), 1);
  assert_int_equal (tiny_request (n.tw, 1)->chain.count, 0);
  tiny_world_free (n.tw);
}

/* A datagram nothing routes (a site's DNS answer to Cloud DNS's
 * forwarders, 35.199.192.0/19) is a drop that says why. */
static void
test_internet__unroutable_datagram_is_explained (void **state)
{
  NetWorld n = net_world ();
  static const uint8_t payload[4] = { 1, 2, 3, 4 };
  const SimExplainStep *s;

  (void) state;
  tiny_probe_send_udp (n.client, 0, CLIENT, 53, TW_IP (35, 199, 192, 1),
                       40000, payload, sizeof payload, 1);
  tiny_world_run (n.tw, SIM_MS);
  assert_int_equal (n.net->no_route, 1);
  s = tiny_step (n.tw, 1, "DROP", "internet");
  assert_non_null (s);
  assert_string_equal (s->cause, "NO_ROUTE");
  assert_non_null (strstr (s->rule, "no internet route to 35.199.192.1: "
                                    "Cloud DNS sends forwarded queries "
                                    "from 35.199.192.0/19"));
  assert_int_equal (tiny_request (n.tw, 1)->outcome,
                    CLOUDRUN_VERDICT_DROPPED);
  tiny_world_free (n.tw);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_internet__routes_and_decrements_ttl),
    cmocka_unit_test (test_internet__longest_prefix_wins),
    cmocka_unit_test (test_internet__no_route_and_expired_ttl_are_counted),
    cmocka_unit_test (test_internet__explains_the_syn_only),
    cmocka_unit_test (test_internet__unroutable_datagram_is_explained),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
