/* `cloudrun-netsim check FILE...`: simulates each scenario and compares
 * it with its [expect] groups, printing one PASS/FAIL line per item (or
 * TAP with --tap) and writing JUnit XML with --junit. Exit status 0 when
 * every item held, 1 when one failed, 2 when a file could not be checked
 * or the JUnit file could not be written (tools/cli/cli.h). */
#ifndef TOOLS_CHECK_H
#define TOOLS_CHECK_H

/* argv[0] is "check". */
int tools_check_main (int argc, char **argv);

#endif
