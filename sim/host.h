/* An IPv4 end host embedded in a node: its addresses, how it picks the
 * port to send on, its TCP connections (sim/tcp.h) and UDP handlers.
 * A node that terminates traffic (a client, a resolver, a front end, an
 * instance) embeds a SimHost and calls sim_host_receive() from its receive
 * function; everything addressed to one of its addresses is demultiplexed
 * here. Packets built by the host carry real Ethernet/IPv4/L4 bytes.
 *
 * A host may also hold IPv6 addresses (dual stack) and IPv6 routes: it
 * sends UDP over IPv6 (sim_host_send_udp6) and delivers IPv6 datagrams for
 * its addresses to the bound ports like IPv4 ones; a UDP handler that may
 * see IPv6 tells the families apart by frame->ip6 (frame->src and ->dst
 * are 0 there). TCP runs over both (sim_tcp_connect6). */
#ifndef SIM_HOST_H
#define SIM_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/node.h"
#include "sim/rng.h"
#include "sim/route.h"
#include "sim/route6.h"
#include "sim/wire.h"

typedef struct SimHost SimHost;
typedef struct SimTcp SimTcp;

/* A UDP datagram arrived: frame is the parsed view of packet, whose
 * metadata (request id) travels with it. The handler borrows both; the
 * host releases the packet after the call. */
typedef void (*SimUdpHandler) (SimHost *host, void *user,
                               const SimFrame *frame,
                               const SimPacket *packet);

/* Replaces the final send of every frame the host emits (the frame is
 * whole: Ethernet, IPv4, L4); port is the routed port. Takes ownership.
 * Used by nodes that wrap their output (the GFE's Geneve replies). */
typedef SimSendResult (*SimHostOutputFn) (SimHost *host, void *user,
                                          SimPort *port, SimPacket *packet);

#define SIM_HOST_MAX_ADDRS 32u
#define SIM_HOST_MAX_UDP 4u
#define SIM_HOST_MAX_ADDRS6 12u  /* the GFE holds ten (google.h) */
#define SIM_HOST_MAX_PREFIXES6 2u /* the GFE: the two VIPs' ranges */

struct SimHost {
  SimNode *node;                /* the embedding node */
  uint32_t addrs[SIM_HOST_MAX_ADDRS]; /* addresses it answers; [0] primary */
  unsigned n_addrs;
  SimPort *default_port;        /* where packets go without a route */
  SimRouteTable *routes;        /* optional: value is the SimPort* */
  SimIp6 addrs6[SIM_HOST_MAX_ADDRS6]; /* IPv6 addresses it answers; [0]
                                   is the source it sends from */
  unsigned n_addrs6;
  struct {
    SimIp6 prefix;
    uint8_t len;
  } prefixes6[SIM_HOST_MAX_PREFIXES6]; /* whole ranges it answers as its
                                   own (Linux's "AnyIP" local routes) */
  unsigned n_prefixes6;
  SimRoute6Table *routes6;      /* optional IPv6 routes: value is the
                                   SimPort*; default_port without one */
  struct {
    SimPort *port;
    uint32_t addr;
  } sources[SIM_HOST_MAX_ADDRS]; /* source address to use per port */
  unsigned n_sources;
  SimHostOutputFn output;       /* optional send override */
  void *output_user;
  SimTcp *tcp;                  /* owned */
  struct {
    uint16_t port;
    SimUdpHandler fn;
    void *user;
  } udp[SIM_HOST_MAX_UDP];      /* bound UDP ports */
  unsigned n_udp;
  uint16_t next_port;           /* next ephemeral port */
  uint16_t ip_id;               /* next IPv4 identification */
  SimRng rng;                   /* ISNs and ephemeral ports */
  uint64_t rx_unmatched;        /* packets for no connection or port */
  uint16_t origin;              /* stamped on every packet it sends that
                                   has none (SimPacket.origin); 0 none */
};

/* Life cycle; the host is embedded in its node. */
void sim_host_init (SimHost *host, SimNode *node, uint32_t addr,
                    SimPort *default_port);
void sim_host_clear (SimHost *host);
void sim_host_add_address (SimHost *host, uint32_t addr);
bool sim_host_has_address (const SimHost *host, uint32_t addr);
/* Routes dst prefixes to ports (longest prefix wins over default_port). */
void sim_host_add_route (SimHost *host, uint32_t prefix, uint8_t len,
                         SimPort *port);
/* Packets leaving by port use addr as source when the caller gives none. */
void sim_host_set_port_source (SimHost *host, SimPort *port, uint32_t addr);
/* The port a packet to dst leaves by, and the source address it takes. */
SimPort *sim_host_route (const SimHost *host, uint32_t dst);
/* The route that decides it (its prefix says why), or NULL when dst
 * leaves by default_port, no route matching. */
const SimRoute *sim_host_route_taken (const SimHost *host, uint32_t dst);
uint32_t sim_host_source_for (const SimHost *host, uint32_t dst);

/* IPv6 (set-up and routing as for IPv4; sim/route6.h). */
void sim_host_add_address6 (SimHost *host, const SimIp6 *addr);
/* Every address of prefix/len is the host's too (it answers a
 * connection to any of them from that address); it never sends from
 * one unasked. */
void sim_host_add_prefix6 (SimHost *host, const SimIp6 *prefix,
                           uint8_t len);
/* The host gives up its IPv4 addresses (an IPv6-only interface): it
 * receives no IPv4 and a caller on it sees none. */
void sim_host_drop_ipv4 (SimHost *host);
bool sim_host_has_address6 (const SimHost *host, const SimIp6 *addr);
void sim_host_add_route6 (SimHost *host, const SimIp6 *prefix, uint8_t len,
                          SimPort *port);
SimPort *sim_host_route6 (const SimHost *host, const SimIp6 *dst);
/* The route that decides it, or NULL: dst leaves by default_port. */
const SimRoute6 *sim_host_route6_taken (const SimHost *host,
                                        const SimIp6 *dst);
/* The source for dst: the first IPv6 address (g_assert'ed: one exists). */
SimIp6 sim_host_source6_for (const SimHost *host, const SimIp6 *dst);

/* Receiving: always takes ownership of packet. Returns false when it was
 * not IPv4 or IPv6 for one of the host's addresses (the packet is released
 * and nothing else happens), true when the host's stack consumed it. */
bool sim_host_receive (SimHost *host, SimPort *port, SimPacket *packet);
/* The same for a packet its caller has parsed already (frame, its view). */
bool sim_host_receive_frame (SimHost *host, SimPort *port, SimPacket *packet,
                             const SimFrame *frame);

/* Sending: prepends IPv4 and Ethernet in front of the L4 segment already
 * in packet and sends it on the routed port; takes ownership. */
SimSendResult sim_host_output (SimHost *host, SimPacket *packet, uint32_t src,
                               uint32_t dst, uint8_t proto);
/* The same on a port the caller chose (a node with several ways out
 * that picks by more than the destination). */
SimSendResult sim_host_output_on (SimHost *host, SimPort *port,
                                  SimPacket *packet, uint32_t src,
                                  uint32_t dst, uint8_t proto);
/* IPv6 output: prepends IPv6 (hop limit 64, the flow's label from
 * sim_ipv6_flow_label) and Ethernet in front of the L4 segment already in
 * packet; takes ownership. */
SimSendResult sim_host_output6 (SimHost *host, SimPacket *packet,
                                const SimIp6 *src, const SimIp6 *dst,
                                uint8_t proto);
SimSendResult sim_host_output6_on (SimHost *host, SimPort *port,
                                   SimPacket *packet, const SimIp6 *src,
                                   const SimIp6 *dst, uint8_t proto);
/* Port 0 binds every port not bound by number (in any order). */
void sim_host_bind_udp (SimHost *host, uint16_t port, SimUdpHandler fn,
                        void *user);
/* Sends one datagram; request_id goes into the metadata. */
SimSendResult sim_host_send_udp (SimHost *host, uint32_t src, uint32_t dst,
                                 uint16_t sport, uint16_t dport,
                                 const uint8_t *payload, uint32_t len,
                                 uint32_t request_id);
/* One datagram over IPv6; src NULL: sim_host_source6_for (dst). */
SimSendResult sim_host_send_udp6 (SimHost *host, const SimIp6 *src,
                                  const SimIp6 *dst, uint16_t sport,
                                  uint16_t dport, const uint8_t *payload,
                                  uint32_t len, uint32_t request_id);
/* The next ephemeral port (49152..65535, wrapping). */
uint16_t sim_host_ephemeral_port (SimHost *host);

#endif
