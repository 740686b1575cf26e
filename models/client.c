/* Internet clients (see models/client.h). */
#include "models/client.h"

static uint32_t
client_served (CloudRunHttpServer *server, void *user, uint32_t request,
               const SimHttpRequest *req)
{
  CloudRunClientNode *client = user;
  CloudRunWorld *world = client->base.world;
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_CLIENT, .state = "DELIVER",
    .rule = sim_explain_internf (sim_world_explain (world->sim),
                                 "internet host %s answers 200 to %s %s",
                                 client->base.node.name, req->method,
                                 req->path),
    .dst = client->host.addrs[0],
  };
  uint32_t step;

  (void) server;
  step = cloudrun_request_step (&world->ledger, request, &client->base.node, &s);
  cloudrun_request_decide (&world->ledger, request, CLOUDRUN_VERDICT_DELIVERED,
                           CLOUDRUN_HOP_CLIENT, &client->base.node, NULL);
  return step;
}

static void
client_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunClientNode *client = (CloudRunClientNode *) self;

  if (!sim_host_receive (&client->host, port, packet))
    sim_packet_release (sim_world_pool (self->world), packet);
}

static void
client_start (SimNode *self)
{
  cloudrun_requester_start (&((CloudRunClientNode *) self)->requester);
}

static void
client_clear (SimNode *self)
{
  CloudRunClientNode *client = (CloudRunClientNode *) self;

  cloudrun_requester_clear (&client->requester);
  cloudrun_http_server_clear (&client->http);
  sim_host_clear (&client->host);
}

static const SimNodeClass client_class = {
  .name = "client",
  .size = sizeof (CloudRunClientNode),
  .receive = client_receive,
  .start = client_start,
  .clear = client_clear,
};

CloudRunClientNode *
cloudrun_client_new (CloudRunWorld *world, const char *name, uint32_t addr,
                     uint32_t resolver)
{
  CloudRunClientNode *client = (CloudRunClientNode *)
    sim_node_new (world->sim, &client_class, name);
  SimPort *port = sim_node_add_port (&client->base.node, "eth0");

  client->base.world = world;
  sim_host_init (&client->host, &client->base.node, addr, port);
  cloudrun_requester_init (&client->requester, &client->base.node,
                           &client->host, &world->ledger, CLOUDRUN_HOP_CLIENT,
                           "START_FROM_INTERNET", resolver);
  cloudrun_http_server_init (&client->http, &client->host, SIM_MS, 1024,
                             client_served, client);
  return client;
}
