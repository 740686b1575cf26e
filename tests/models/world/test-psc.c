/* Tests for models/world/psc.c (Private Service Connect endpoint for
 * Google APIs) on a tiny world: probe "vpc" stands for the VPC router,
 * probe "gfe" for Google's front end across the fabric.
 * https://cloud.google.com/vpc/docs/configure-private-service-connect-apis
 *
 * Probes: the frames each side received (the Geneve identity the GFE
 * side sees), the endpoint's APPLY_ROUTE step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/psc.h"
#include "tests/models/world/tiny-world.h"

#define PROJECT 123456789012u
#define VNI 0x42u
#define ENDPOINT TW_IP (10, 3, 0, 5)
#define VM TW_IP (10, 1, 0, 9)
#define FABRIC TW_IP (100, 64, 0, 7)
#define GFE_FABRIC TW_IP (100, 64, 0, 1)

typedef struct {
  TinyWorld *tw;
  CloudRunPscNode *psc;
  TinyProbe *vpc, *gfe;
} PscWorld;

static PscWorld
psc_world (void)
{
  PscWorld w = { tiny_world_new (2), NULL, NULL, NULL };
  VpcPscConfig cfg = tiny_psc_config ("apis", "net", ENDPOINT, VNI, PROJECT);

  w.psc = cloudrun_psc_new (w.tw->world, &cfg, FABRIC, GFE_FABRIC);
  w.vpc = tiny_probe_new (w.tw, "vpc");
  w.gfe = tiny_probe_new (w.tw, "gfe");
  tiny_link (w.tw, w.vpc->port, w.psc->vpc);
  tiny_link (w.tw, w.psc->google, w.gfe->port);
  return w;
}

static void
test_psc__carries_the_network_identity_to_the_gfe (void **state)
{
  PscWorld w = psc_world ();
  const TinyFrame *f;
  const SimExplainStep *s;

  (void) state;
  tiny_probe_send_tcp (w.vpc, 0, VM, 40000, ENDPOINT, 80, SIM_TCP_SYN, 63, 0,
                       1);
  tiny_world_run (w.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.gfe), 1);
  f = tiny_probe_frame (w.gfe, 0);
  assert_true (f->wrapped);
  assert_int_equal (f->id.kind, CLOUDRUN_FABRIC_VPC);
  assert_int_equal (f->id.vni, VNI);
  assert_int_equal (f->id.project_number, PROJECT);
  /* The inner packet is the VM's, unchanged. */
  assert_int_equal (f->f.src, VM);
  assert_int_equal (f->f.dst, ENDPOINT);
  assert_int_equal (f->f.sport, 40000);
  s = tiny_step (w.tw, 1, "APPLY_ROUTE", "psc-apis");
  assert_non_null (s);
  assert_non_null (strstr (s->rule, "GOOGLE_API_PSC"));
  assert_non_null (strstr (s->rule, "all-apis"));
  assert_non_null (strstr (s->note, "VNI 66, project 123456789012"));
  tiny_world_free (w.tw);
}

static void
test_psc__replies_are_unwrapped_into_the_vpc (void **state)
{
  PscWorld w = psc_world ();
  CloudRunFabricIdentity id = { CLOUDRUN_FABRIC_VPC, VNI, PROJECT };
  const TinyFrame *f;

  (void) state;
  tiny_probe_send_wrapped_tcp (w.gfe, 0, ENDPOINT, 80, VM, 40000,
                               SIM_TCP_SYN | SIM_TCP_ACK, GFE_FABRIC, FABRIC,
                               &id);
  tiny_world_run (w.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.vpc), 1);
  f = tiny_probe_frame (w.vpc, 0);
  assert_false (f->wrapped);
  assert_int_equal (f->f.src, ENDPOINT);
  assert_int_equal (f->f.dst, VM);
  assert_int_equal (f->f.dport, 40000);
  tiny_world_free (w.tw);
}

static void
test_psc__unwrapped_frame_from_the_fabric_is_dropped (void **state)
{
  PscWorld w = psc_world ();

  (void) state;
  tiny_probe_send_tcp (w.gfe, 0, ENDPOINT, 80, VM, 40000,
                       SIM_TCP_SYN | SIM_TCP_ACK, 64, 0, 0);
  tiny_world_run (w.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.vpc), 0);
  tiny_world_free (w.tw);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_psc__carries_the_network_identity_to_the_gfe),
    cmocka_unit_test (test_psc__replies_are_unwrapped_into_the_vpc),
    cmocka_unit_test (test_psc__unwrapped_frame_from_the_fabric_is_dropped),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
