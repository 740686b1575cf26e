/* A minimal pcapng writer (libpcap cannot write pcapng): section header
 * block, interface description blocks (if_name, if_description,
 * if_tsresol = 9, i.e. nanoseconds), enhanced packet blocks with an
 * opt_comment options, one per comment, and decryption secrets blocks.
 * Little-endian on every host, so files are byte-identical everywhere.
 *
 * Writes go to a FILE* the caller opened and closes, or into the
 * caller's block (sim/block-out.h) in front of it; the first failure is
 * sticky and reported by sim_pcapng_failed(). */
#ifndef SIM_PCAPNG_H
#define SIM_PCAPNG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/block-out.h"

typedef struct {
  FILE *out;                    /* not owned */
  SimBlockOut *block;           /* not owned; when set, writes go there */
  uint32_t n_interfaces;
  uint64_t bytes;               /* bytes written so far */
  int error;                    /* errno of the first failure; 0 none */
} SimPcapng;

void sim_pcapng_init (SimPcapng *w, FILE *out);
/* The same, writing into block (whose FILE is out); the caller flushes
 * it. */
void sim_pcapng_init_block (SimPcapng *w, SimBlockOut *block);
/* SHB with shb_hardware, shb_os, shb_userappl (NULL to omit) and comment. */
bool sim_pcapng_write_section (SimPcapng *w, const char *hardware,
                               const char *os, const char *application,
                               const char *comment);
/* IDB; returns false on failure. The interface gets the next id (0, 1..). */
bool sim_pcapng_write_interface (SimPcapng *w, uint16_t linktype,
                                 uint32_t snaplen, const char *name,
                                 const char *description);
/* EPB with a nanosecond timestamp and n_comments opt_comment options, in
 * order (comments may be NULL when n_comments is 0). */
bool sim_pcapng_write_packet (SimPcapng *w, uint32_t if_id,
                              uint64_t timestamp_ns, const uint8_t *data,
                              uint32_t caplen, uint32_t origlen,
                              const char *const *comments,
                              uint32_t n_comments);
/* DSB (block type 0x0000000A) holding len bytes of secrets of a type
 * such as SIM_PCAPNG_SECRETS_TLS (a TLS key log, sim/tls.h). Readers use
 * them for the packets after the block. */
#define SIM_PCAPNG_SECRETS_TLS 0x544c534bu      /* "TLSK" */
bool sim_pcapng_write_secrets (SimPcapng *w, uint32_t secrets_type,
                               const uint8_t *data, uint32_t len);
bool sim_pcapng_failed (const SimPcapng *w);

#endif
