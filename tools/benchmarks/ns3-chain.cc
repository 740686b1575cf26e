// The ns-3 side of tools/bench --ns3: a chain of 8 nodes joined by 7
// point-to-point links, the full IPv4/UDP stack with global routing, one
// UDP flow of 1000-byte payloads from the first node to the last. It
// reports packet-hops per second of wall time (frames carried over a
// link; 7 per packet delivered), bare or with a pcap trace on every
// device, the same measure as bench-e2e's packet_hops_per_s. Built by
// tools/bench --ns3 against Debian's libns3-dev, never by make.
//
// Usage: ns3-chain [--packets=N] [--pcap=0|1] [--dir=DIR]
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <cstdio>
#include <string>

using namespace ns3;

int
main (int argc, char *argv[])
{
  uint32_t packets = 200000;
  bool pcap = false;
  std::string dir = ".";
  const uint32_t nodes = 8;

  CommandLine cmd;
  cmd.AddValue ("packets", "UDP datagrams to send", packets);
  cmd.AddValue ("pcap", "a pcap trace on every device", pcap);
  cmd.AddValue ("dir", "where the pcap files go", dir);
  cmd.Parse (argc, argv);

  NodeContainer chain;
  chain.Create (nodes);
  InternetStackHelper stack;
  stack.Install (chain);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("100Gbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("10us"));
  p2p.SetQueue ("ns3::DropTailQueue", "MaxSize", StringValue ("100000p"));
  Ipv4AddressHelper addr;
  Ipv4InterfaceContainer last;
  NetDeviceContainer all;
  for (uint32_t i = 0; i + 1 < nodes; i++)
    {
      NetDeviceContainer d = p2p.Install (chain.Get (i), chain.Get (i + 1));
      all.Add (d);
      std::string net = "10.1." + std::to_string (i + 1) + ".0";
      addr.SetBase (net.c_str (), "255.255.255.0");
      last = addr.Assign (d);
    }
  Ipv4GlobalRoutingHelper::PopulateRoutingTables ();

  UdpServerHelper server (9);
  ApplicationContainer sink = server.Install (chain.Get (nodes - 1));
  sink.Start (Seconds (0));
  UdpClientHelper client (last.GetAddress (1), 9);
  client.SetAttribute ("MaxPackets", UintegerValue (packets));
  client.SetAttribute ("Interval", TimeValue (MicroSeconds (1)));
  client.SetAttribute ("PacketSize", UintegerValue (1000));
  ApplicationContainer src = client.Install (chain.Get (0));
  src.Start (Seconds (0.001));
  if (pcap)
    p2p.EnablePcapAll (dir + "/ns3-chain", false);

  auto t0 = std::chrono::steady_clock::now ();
  Simulator::Run ();
  auto t1 = std::chrono::steady_clock::now ();
  uint64_t received = DynamicCast<UdpServer> (sink.Get (0))->GetReceived ();
  Simulator::Destroy ();

  double wall = std::chrono::duration<double> (t1 - t0).count ();
  uint64_t hops = received * (nodes - 1);
  std::printf ("{\"packets\": %u, \"received\": %llu, \"pcap\": %s, "
               "\"wall_s\": %.3f, \"packet_hops\": %llu, "
               "\"packet_hops_per_s\": %.0f}\n",
               packets, (unsigned long long) received,
               pcap ? "true" : "false", wall, (unsigned long long) hops,
               wall > 0 ? hops / wall : 0.0);
  return received == packets ? 0 : 1;
}
