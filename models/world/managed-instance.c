/* Cloud SQL, Memorystore and AlloyDB instances (see
 * models/world/managed-instance.h). */
#include "models/world/managed-instance.h"

#include "models/world/google.h"
#include "sim/tcp.h"
#include "sim/wire.h"

struct CloudRunManagedInstance {
  CloudRunNode base;
  SimHost host;
  char *name;                   /* the instance's NAME, owned */
  char *product;                /* owned */
  VpcManagedKind kind;
  uint16_t *ports;              /* owned */
  guint n_ports;
  VpcCidr *authorized;          /* owned */
  guint n_authorized;
  SimPort *vpc;
};

static bool
managed_serves (const CloudRunManagedInstance *m, uint16_t port)
{
  for (guint i = 0; i < m->n_ports; i++)
    if (m->ports[i] == port)
      return true;
  return false;
}

static bool
rfc1918 (uint32_t a)
{
  return (a & 0xff000000u) == 0x0a000000u       /* 10.0.0.0/8 */
         || (a & 0xfff00000u) == 0xac100000u    /* 172.16.0.0/12 */
         || (a & 0xffff0000u) == 0xc0a80000u;   /* 192.168.0.0/16 */
}

static bool
authorized (const CloudRunManagedInstance *m, uint32_t src)
{
  for (guint i = 0; i < m->n_authorized; i++)
    if ((src & sim_cidr_mask (m->authorized[i].len))
        == m->authorized[i].prefix)
      return true;
  return false;
}

/* Why m refuses a connection from f's source to f's port, with its cause;
 * NULL when it accepts. */
static const char *
managed_refusal (const CloudRunManagedInstance *m, const SimFrame *f,
                 CloudRunDropCause *cause)
{
  if (!managed_serves (m, f->dport))
    {
      *cause = m->kind == VPC_MANAGED_REDIS
               ? CLOUDRUN_DROP_REDIS_INSTANCE_UNSUPPORTED_PORT
               : m->kind == VPC_MANAGED_CLOUD_SQL
               ? CLOUDRUN_DROP_DROPPED_INSIDE_CLOUD_SQL_SERVICE
               : CLOUDRUN_DROP_DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE;
      return "the instance accepts no connection on that port";
    }
  if (m->kind == VPC_MANAGED_CLOUD_SQL && !rfc1918 (f->src)
      && !authorized (m, f->src))
    {
      *cause = CLOUDRUN_DROP_CLOUD_SQL_INSTANCE_UNAUTHORIZED_ACCESS;
      return "the source is outside RFC 1918 and no authorized network "
             "lists it (cloud.google.com/sql/docs/postgres/"
             "authorize-networks)";
    }
  if (m->kind == VPC_MANAGED_REDIS && !cloudrun_private_address (f->src))
    {
      *cause = CLOUDRUN_DROP_REDIS_INSTANCE_CONNECTING_FROM_PUPI_ADDRESS;
      return "the source is a privately used public address, from which "
             "an instance on private services access takes no connection";
    }
  return NULL;
}

static void
managed_judge (CloudRunManagedInstance *m, SimPacket *packet,
               const SimFrame *f, bool *dropped)
{
  CloudRunWorld *world = m->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  CloudRunDropCause cause = CLOUDRUN_DROP_NONE;
  const char *why = managed_refusal (m, f, &cause);
  char src[16];
  CloudRunStep s = { .hop = CLOUDRUN_HOP_MANAGED_INSTANCE,
                     .src = f->src, .dst = f->dst };

  sim_ipv4_to_string (f->src, src);
  if (why)
    {
      s.state = CLOUDRUN_STATE_DROP;
      s.cause = cause;
      s.rule = sim_explain_internf (log, "%s instance %s refuses TCP port "
                                    "%u from %s: %s", m->product, m->name,
                                    f->dport, src, why);
      cloudrun_node_drop (&m->base, packet, &s);
      *dropped = true;
      return;
    }
  s.state = CLOUDRUN_STATE_DELIVER;
  s.rule = sim_explain_internf (log, "%s instance %s accepts a connection "
                                "on TCP port %u from %s", m->product,
                                m->name, f->dport, src);
  cloudrun_request_step (&world->ledger, packet->request_id, &m->base.node,
                         &s);
  cloudrun_request_seen (&world->ledger, packet->request_id,
                         CLOUDRUN_HOP_MANAGED_INSTANCE, f->src, NULL, NULL);
  cloudrun_request_decide (&world->ledger, packet->request_id,
                           CLOUDRUN_VERDICT_DELIVERED,
                           CLOUDRUN_HOP_MANAGED_INSTANCE, &m->base.node,
                           CLOUDRUN_DROP_NONE);
}

static void
managed_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunManagedInstance *m = (CloudRunManagedInstance *) self;
  SimFrame f;
  bool dropped = false;

  if (sim_frame_parse (packet->data, packet->len, &f) && f.l4
      && sim_frame_opens_tcp (&f))
    managed_judge (m, packet, &f, &dropped);
  if (!dropped)
    sim_host_receive (&m->host, port, packet);
}

static void
conn_peer_closed (SimTcpConn *conn, void *user)
{
  (void) user;
  sim_tcp_close (conn);
}

static void
conn_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  (void) conn; (void) user; (void) data; (void) len;
}

static void
conn_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  (void) conn; (void) user; (void) reason;
}

static const SimTcpCallbacks conn_callbacks = {
  .data = conn_data,
  .peer_closed = conn_peer_closed,
  .closed = conn_closed,
};

static void
managed_accept (SimTcpConn *conn, void *user)
{
  sim_tcp_conn_set_callbacks (conn, &conn_callbacks, user);
}

static void
managed_clear (SimNode *self)
{
  CloudRunManagedInstance *m = (CloudRunManagedInstance *) self;

  sim_host_clear (&m->host);
  g_free (m->name);
  g_free (m->product);
  g_free (m->ports);
  g_free (m->authorized);
}

static const SimNodeClass managed_class = {
  .name = "managed-instance",
  .size = sizeof (CloudRunManagedInstance),
  .receive = managed_receive,
  .clear = managed_clear,
};

CloudRunManagedInstance *
cloudrun_managed_instance_new (CloudRunWorld *world,
                               const VpcManagedConfig *config)
{
  g_autofree char *node = g_strdup_printf ("managed-%s", config->name);
  CloudRunManagedInstance *m = (CloudRunManagedInstance *)
    sim_node_new (world->sim, &managed_class, node);
  SimPort *port = sim_node_add_port (&m->base.node, "vpc");

  m->base.world = world;
  m->name = g_strdup (config->name);
  m->product = g_strdup (config->product);
  m->kind = config->kind;
  m->ports = g_memdup2 (config->ports, config->n_ports * sizeof *m->ports);
  m->n_ports = config->n_ports;
  m->authorized = g_memdup2 (config->authorized,
                             config->n_authorized * sizeof *m->authorized);
  m->n_authorized = config->n_authorized;
  m->vpc = port;
  sim_host_init (&m->host, &m->base.node, config->address, port);
  for (guint i = 0; i < m->n_ports; i++)
    sim_tcp_listen (&m->host, m->ports[i], managed_accept, m);
  return m;
}

SimPort *
cloudrun_managed_instance_port (CloudRunManagedInstance *m)
{
  return m->vpc;
}
