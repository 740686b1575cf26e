/* Builds the simulated world of a loaded scenario: resources become nodes,
 * ports and links with addresses and routes (docs/networking.md,
 * "Addresses and timing of the parts you do not write"), [traffic] groups
 * become traffic plans of their callers, and every request gets its
 * ledger record. */
#ifndef CLOUDRUN_BUILD_H
#define CLOUDRUN_BUILD_H

#include <glib.h>

#include "models/format/scenario.h"
#include "models/world/vpc-router.h"
#include "models/world/world.h"

/* Cannot fail: it always returns a new world and never sets error (which
 * stays for the callers that pass one). The scenario must outlive the
 * world (plans point into it). */
CloudRunWorld *cloudrun_world_build (const CloudRunScenario *scenario,
                                     GError **error);

/* Private Google Access of a subnet's sources as the world decides it: the
 * VPC router's rule (cloudrun_subnet_pga) with the Cloud NAT the builder
 * gives the subnet. For whoever describes the world without building it
 * (the topology picture). */
CloudRunSubnetPga cloudrun_build_subnet_pga (const CloudRunScenario *scenario,
                                             const CloudRunSpecSubnet *subnet);

#endif
