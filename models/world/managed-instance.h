/* A Google-managed instance reached over private services access: Cloud
 * SQL, Memorystore for Redis or AlloyDB, at a private address in the
 * service producer's network. It judges each new TCP connection by what
 * arrives (its port, its source address) and accepts it, or drops the SYN
 * with the cause Connectivity Tests names:
 * - a port it does not serve: REDIS_INSTANCE_UNSUPPORTED_PORT for
 *   Memorystore, DROPPED_INSIDE_CLOUD_SQL_SERVICE for Cloud SQL,
 *   DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE for AlloyDB;
 * - Cloud SQL: a source outside RFC 1918 that no authorized network lists
 *   (CLOUD_SQL_INSTANCE_UNAUTHORIZED_ACCESS;
 *   https://cloud.google.com/sql/docs/postgres/authorize-networks);
 * - Memorystore: a privately used public source address
 *   (REDIS_INSTANCE_CONNECTING_FROM_PUPI_ADDRESS).
 * An accepted connection decides its request: delivered. The instance
 * sends no bytes and closes when the caller does.
 * Scenario keys read (through VpcManagedConfig): [managed-instance]
 * product, address, authorized-networks. */
#ifndef CLOUDRUN_MANAGED_INSTANCE_H
#define CLOUDRUN_MANAGED_INSTANCE_H

#include "models/world/world.h"
#include "sim/host.h"

typedef struct CloudRunManagedInstance CloudRunManagedInstance;

/* The node, with one port, "vpc". */
CloudRunManagedInstance *cloudrun_managed_instance_new (
  CloudRunWorld *world, const VpcManagedConfig *config);
SimPort *cloudrun_managed_instance_port (CloudRunManagedInstance *m);

#endif
