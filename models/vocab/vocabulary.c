/* The vocabulary's word tables and names (see models/vocab/vocabulary.h). */
#include "models/vocab/vocabulary.h"

#include <glib.h>

#define WORD(ID, W) W,
#define ID_WORD(ID) #ID,

const char *const cloudrun_hop_words[] = { CLOUDRUN_HOP_LIST (WORD) NULL };
#define CAUSE_WORD(ID, WHO) #ID,
#define CAUSE_VALUE(ID, WHO) CLOUDRUN_DROP_##ID,
#define CAUSE_NAME(ID, WHO) [CLOUDRUN_DROP_##ID] = #ID,
#define CAUSE_PRODUCED_P 1
#define CAUSE_PRODUCED_O 0
#define CAUSE_COUNT_PRODUCED(ID, WHO) + CAUSE_PRODUCED_##WHO
const char *const cloudrun_drop_cause_words[] = {
  CLOUDRUN_DROP_LIST (CAUSE_WORD) NULL };
const int cloudrun_drop_cause_values[] = { CLOUDRUN_DROP_LIST (CAUSE_VALUE) };
static const char *const drop_cause_names[CLOUDRUN_DROP_END] = {
  CLOUDRUN_DROP_LIST (CAUSE_NAME) };
const char *const cloudrun_verdict_words[] = {
  CLOUDRUN_VERDICT_LIST (WORD) NULL };
const char *const cloudrun_class_words[] = { CLOUDRUN_CLASS_LIST (WORD) NULL };
static const char *const state_words[] = {
  CLOUDRUN_STATE_LIST (ID_WORD) NULL };
const char *const vpc_access_words[] = { VPC_ACCESS_LIST (WORD) NULL };
const char *const vpc_egress_words[] = { VPC_EGRESS_LIST (WORD) NULL };
const char *const gfe_ingress_words[] = { GFE_INGRESS_LIST (WORD) NULL };
const char *const vpc_psc_bundle_words[] = { VPC_PSC_LIST (WORD) NULL };
const char *const iam_principal_kind_words[] = {
  IAM_PRINCIPAL_LIST (WORD) NULL };
const char *const vpc_firewall_direction_words[] = {
  VPC_FIREWALL_DIRECTION_LIST (WORD) NULL };
const char *const vpc_firewall_action_words[] = {
  VPC_FIREWALL_ACTION_LIST (WORD) NULL };
const char *const vpc_next_hop_words[] = { VPC_NEXT_HOP_LIST (WORD) NULL };
const char *const armor_action_words[] = { ARMOR_ACTION_LIST (WORD) NULL };
const char *const vpc_stack_words[] = { VPC_STACK_LIST (WORD) NULL };
const char *const vpc_ipv6_access_words[] = {
  VPC_IPV6_ACCESS_LIST (WORD) NULL };
const char *const cloudrun_address_selection_words[] = {
  CLOUDRUN_ADDRESS_SELECTION_LIST (WORD) NULL };

/* A table holds its list and a NULL: hop kinds count from 0, the lists
 * after a NONE or PENDING value from 1. */
G_STATIC_ASSERT (G_N_ELEMENTS (cloudrun_hop_words) == CLOUDRUN_N_HOPS + 1);
/* Every produced cause is marked P in the full list, and only those. */
G_STATIC_ASSERT (0 CLOUDRUN_DROP_LIST (CAUSE_COUNT_PRODUCED)
                 == CLOUDRUN_N_DROP_CAUSES - 1);
G_STATIC_ASSERT (G_N_ELEMENTS (cloudrun_drop_cause_values)
                 == CLOUDRUN_DROP_END - 2);
G_STATIC_ASSERT (G_N_ELEMENTS (cloudrun_verdict_words)
                 == CLOUDRUN_N_VERDICTS);
G_STATIC_ASSERT (G_N_ELEMENTS (state_words) == CLOUDRUN_N_STATES);

const char *
cloudrun_hop_name (CloudRunHopKind hop)
{
  if (hop < 0 || hop >= CLOUDRUN_N_HOPS)
    return "none";
  return cloudrun_hop_words[hop];
}

const char *
cloudrun_drop_cause_name (CloudRunDropCause cause)
{
  g_assert (cause < CLOUDRUN_DROP_END && cause != CLOUDRUN_N_DROP_CAUSES);
  return drop_cause_names[cause];
}

const char *
cloudrun_verdict_name (CloudRunVerdict outcome)
{
  g_assert (outcome < CLOUDRUN_N_VERDICTS);
  return outcome == CLOUDRUN_VERDICT_PENDING
         ? "pending" : cloudrun_verdict_words[outcome - 1];
}

const char *
cloudrun_class_name (CloudRunClass classified)
{
  switch (classified)
    {
    case CLOUDRUN_CLASS_INTERNAL: case CLOUDRUN_CLASS_EXTERNAL:
      return cloudrun_class_words[classified - 1];
    case CLOUDRUN_CLASS_NONE: default: return "-";
    }
}

const char *
cloudrun_state_name (CloudRunState state)
{
  g_assert (state < CLOUDRUN_N_STATES);
  return state == CLOUDRUN_STATE_NONE ? NULL : state_words[state - 1];
}

CloudRunState
cloudrun_refusal_state (CloudRunDropCause cause)
{
  switch (cause)
    {
    case CLOUDRUN_DROP_INGRESS_DENIED: return CLOUDRUN_STATE_INGRESS_DENIED;
    case CLOUDRUN_DROP_IAM_DENIED: return CLOUDRUN_STATE_IAM_DENIED;
    case CLOUDRUN_DROP_VPC_SC_DENIED: return CLOUDRUN_STATE_VPC_SC_DENIED;
    case CLOUDRUN_DROP_IAP_DENIED: return CLOUDRUN_STATE_IAP_DENIED;
    case CLOUDRUN_DROP_TARGET_TYPE_NOT_PERMITTED_FOR_VPC:
      return CLOUDRUN_STATE_TARGET_TYPE_NOT_PERMITTED_FOR_VPC;
    case CLOUDRUN_DROP_SECURITY_POLICY_DENIED:
      return CLOUDRUN_STATE_SECURITY_POLICY_DENIED;
    default: g_assert_not_reached ();
    }
}

/* The word of value v of a list without a NONE value. */
static const char *
word_of (const char *const *words, gsize n, int v)
{
  g_assert (v >= 0 && (gsize) v < n);
  return words[v];
}

#define NAME_OF(WORDS, V) word_of (WORDS, G_N_ELEMENTS (WORDS) - 1, (int) (V))

const char *
vpc_access_name (VpcAccess access)
{
  return NAME_OF (vpc_access_words, access);
}

const char *
vpc_egress_name (VpcEgress egress)
{
  return NAME_OF (vpc_egress_words, egress);
}

const char *
gfe_ingress_name (GfeIngress ingress)
{
  return NAME_OF (gfe_ingress_words, ingress);
}

const char *
vpc_psc_bundle_name (VpcPscBundle bundle)
{
  return NAME_OF (vpc_psc_bundle_words, bundle);
}

const char *
iam_principal_kind_name (IamPrincipalKind kind)
{
  return NAME_OF (iam_principal_kind_words, kind);
}

const char *
armor_action_name (ArmorAction action)
{
  return NAME_OF (armor_action_words, action);
}

const char *
vpc_stack_name (VpcStackType stack)
{
  return NAME_OF (vpc_stack_words, stack);
}

const char *
vpc_ipv6_access_name (VpcIpv6Access access)
{
  return NAME_OF (vpc_ipv6_access_words, access);
}

const char *
cloudrun_address_selection_name (CloudRunAddressSelection sel)
{
  return NAME_OF (cloudrun_address_selection_words, sel);
}
