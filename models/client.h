/* An internet client: a host on the internet that resolves names through
 * public DNS, sends its [traffic] requests, and answers HTTP on port 80.
 * Scenario keys read: [client] address. */
#ifndef CLOUDRUN_CLIENT_H
#define CLOUDRUN_CLIENT_H

#include "models/http-server.h"
#include "models/requester.h"
#include "models/world.h"

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* one port, eth0, to the internet */
  CloudRunRequester requester;  /* its traffic */
  CloudRunHttpServer http;      /* answers 200 on port 80 */
} CloudRunClientNode;

CloudRunClientNode *cloudrun_client_new (CloudRunWorld *world,
                                         const char *name, uint32_t addr,
                                         uint32_t resolver);

#endif
