-- cloudrun-netsim.lua: a Wireshark post-dissector for cloudrun-netsim's
-- captures (OUT/trace.pcapng and OUT/pcap/*.pcap).
--
--   tshark -X lua_script:tools/wireshark/cloudrun-netsim.lua -r OUT/trace.pcapng
--   or copy (or symlink) it into ~/.local/lib/wireshark/plugins/
--
-- It adds a "cloudrun-netsim" tree (filter name: cloudrun) to every frame
-- that carries a simulator comment or the simulator's Geneve option:
--
--   * the hop: the capture interface the frame was seen on
--     (pcapng IDB name "NODE/PORT", frame.interface_name);
--   * one subtree per decision, from the frame's pcapng comments (one
--     opt_comment per step, written by sim_explain_format_comment in
--     sim/explain.c):
--     "STATE[ CAUSE] at NODE[ (TAG)][: RULE][; NOTE][ [ADDRS]][ (traffic NAME, request N)]",
--     split into cloudrun.state, .cause, .node, .rule, .note, the
--     addresses, the request it belongs to (cloudrun.traffic and
--     cloudrun.request, from the subject the simulator writes last), the
--     GFE's classification (cloudrun.class, read only from
--     the "(internal)"/"(external)" tag after the node, where no name or
--     free text of a scenario can reach) and an
--     assumption flag when the text cites "[assumptions]";
--   * the Geneve option of Google's fabric (models/world/fabric.h):
--     option class 0xfff0, type = source kind (1 VPC network, 2 internal
--     ALB, 3 external ALB, 4 Google product), VNI = the network (or load
--     balancer, or caller) id, 8 data bytes = the project number, big
--     endian. Wireshark 4.0 shows that option as "Unknown Option Data".
--
-- Expert items tell the story in Analyze > Expert Information: a DROP,
-- an ABORT or an NXDOMAIN or SERVFAIL answer is an error (a NODATA answer,
-- "has no A record (NODATA)", is not: the caller that finds no address
-- aborts), a refusal (INGRESS_DENIED, IAM_DENIED, VPC_SC_*,
-- SECURITY_POLICY_DENIED, IAP_DENIED, TARGET_TYPE_NOT_PERMITTED_FOR_VPC) a
-- warning, the GFE's classification (internal/external) a note, and a
-- decision resting on a documented assumption a note of the Assumption
-- group. A drop's or a refusal's text names its traffic and request
-- right after the node (Wireshark cuts long texts), so Expert
-- Information gives each request a line of its own (it groups items of
-- equal text); a note names the traffic, and the classification's reason
-- is kept whole, parentheses and all.
--
-- The GFE writes a refusal with its cause as the state word
-- ("INGRESS_DENIED at gfe (external): ..."); such a step gets the word as both
-- cloudrun.state and cloudrun.cause, so that one filter finds every cause:
--   cloudrun.cause == "INGRESS_DENIED"
--
-- Tested with Wireshark 4.0 (Debian 12), Lua 5.2.

-- Loaded twice (installed in the plugins folder and named with -X
-- lua_script: as well), the second copy steps aside: Wireshark refuses a
-- second protocol of the same name, and that refusal is the only way
-- Proto fails here. (Each script has its own globals, so a flag would not
-- do.)
local made, proto = pcall(Proto, "cloudrun", "cloudrun-netsim")
if not made then
  return
end

-- What Wireshark has already dissected.
local f_comment = Field.new("frame.comment")
local f_ifname = Field.new("frame.interface_name")
local f_vni = Field.new("geneve.vni")
local f_option = Field.new("geneve.option")

local GENEVE_CLASS = 0xfff0

local kinds = {
  [1] = "VPC",
  [2] = "internal ALB",
  [3] = "external ALB",
  [4] = "Google product",
}
local kind_long = {
  [1] = "VPC network",
  [2] = "internal Application Load Balancer",
  [3] = "external Application Load Balancer",
  [4] = "Google product (Pub/Sub push, Cloud Tasks, ...)",
}

local refusals = {
  INGRESS_DENIED = true,
  IAM_DENIED = true,
  -- a Cloud Armor rule at an external ALB
  SECURITY_POLICY_DENIED = true,
  -- Identity-Aware Proxy (at the GFE, or at an external ALB's proxy).
  IAP_DENIED = true,
  -- Cloud Tasks in a perimeter: the task fails before a packet leaves,
  -- so only a frame comment quoting the word can carry it.
  TARGET_TYPE_NOT_PERMITTED_FOR_VPC = true,
}

local pf = {
  hop = ProtoField.string("cloudrun.hop", "Hop (capture interface)"),
  hop_node = ProtoField.string("cloudrun.hop.node", "Node"),
  hop_port = ProtoField.string("cloudrun.hop.port", "Port"),
  step = ProtoField.string("cloudrun.step", "Decision"),
  decision = ProtoField.string("cloudrun.decision", "State and cause"),
  state = ProtoField.string("cloudrun.state", "State"),
  cause = ProtoField.string("cloudrun.cause", "Cause"),
  node = ProtoField.string("cloudrun.node", "Node"),
  rule = ProtoField.string("cloudrun.rule", "Rule"),
  note = ProtoField.string("cloudrun.note", "Note"),
  class = ProtoField.string("cloudrun.class", "GFE classification"),
  traffic = ProtoField.string("cloudrun.traffic", "Traffic"),
  request = ProtoField.uint32("cloudrun.request", "Request (of its traffic)"),
  assumption = ProtoField.bool("cloudrun.assumption",
                               "Rests on an assumption"),
  assumption_key = ProtoField.string("cloudrun.assumption.key",
                                     "Assumption"),
  src = ProtoField.ipv4("cloudrun.src", "Source"),
  dst = ProtoField.ipv4("cloudrun.dst", "Destination"),
  src_after = ProtoField.ipv4("cloudrun.src_after", "Source after"),
  dst_after = ProtoField.ipv4("cloudrun.dst_after", "Destination after"),
  -- The same when the address is IPv6 (RFC 5952 text in the comment).
  src6 = ProtoField.ipv6("cloudrun.src6", "Source (IPv6)"),
  dst6 = ProtoField.ipv6("cloudrun.dst6", "Destination (IPv6)"),
  src_after6 = ProtoField.ipv6("cloudrun.src_after6", "Source after (IPv6)"),
  dst_after6 = ProtoField.ipv6("cloudrun.dst_after6",
                               "Destination after (IPv6)"),
  geneve = ProtoField.bytes("cloudrun.geneve", "Fabric identity (Geneve option)"),
  geneve_class = ProtoField.uint16("cloudrun.geneve.class", "Option class",
                                   base.HEX),
  geneve_type = ProtoField.uint8("cloudrun.geneve.type", "Source kind (type)",
                                 base.DEC, kind_long, 0x7f),
  geneve_kind = ProtoField.string("cloudrun.geneve.kind", "Source kind"),
  geneve_network = ProtoField.uint24("cloudrun.geneve.network",
                                     "Network / source id (VNI)", base.DEC),
  geneve_project = ProtoField.uint64("cloudrun.geneve.project",
                                     "Project number", base.DEC),
}
proto.fields = pf

local ex = {
  drop = ProtoExpert.new("cloudrun.drop.expert", "Dropped or aborted",
                         expert.group.PROTOCOL, expert.severity.ERROR),
  refused = ProtoExpert.new("cloudrun.refused.expert", "Refused",
                            expert.group.SECURITY, expert.severity.WARN),
  classified = ProtoExpert.new("cloudrun.class.expert",
                               "Classified by the GFE",
                               expert.group.PROTOCOL, expert.severity.NOTE),
  assumption = ProtoExpert.new("cloudrun.assumption.expert",
                               "Rests on an assumption",
                               expert.group.ASSUMPTION, expert.severity.NOTE),
}
proto.experts = ex

local function is_refusal (word)
  return word ~= nil and (refusals[word] or word:find("^VPC_SC") ~= nil)
end

-- An address: a dotted quad, or IPv6 text (hex digits and colons, with
-- at least one colon; a dotted quad may end it, as in ::ffff:a.b.c.d).
local IP = "[%x:%.]+"

local function is_addr (a)
  return a ~= nil and (a:find("^%d+%.%d+%.%d+%.%d+$") ~= nil
                       or (a:find(":", 1, true) ~= nil
                           and a:find("^[%x:%.]+$") ~= nil))
end

local function all_addrs (...)
  for i = 1, select("#", ...) do
    local a = select(i, ...)
    if a ~= nil and not is_addr(a) then return false end
  end
  return true
end

-- The trailing "[...]" of a step: "A -> B", "A -> B => C -> D",
-- "from A" or "to B", each address IPv4 or IPv6. Returns src, dst,
-- src', dst' (some nil), or false when the text is none of these (then
-- it stays part of the note).
local function parse_addrs (a)
  local s, d, s2, d2 = a:match("^(" .. IP .. ") %-> (" .. IP .. ") => ("
                               .. IP .. ") %-> (" .. IP .. ")$")
  if s and all_addrs(s, d, s2, d2) then return s, d, s2, d2 end
  s, d = a:match("^(" .. IP .. ") %-> (" .. IP .. ")$")
  if s and all_addrs(s, d) then return s, d end
  s = a:match("^from (" .. IP .. ")$")
  if s and is_addr(s) then return s end
  d = a:match("^to (" .. IP .. ")$")
  if d and is_addr(d) then return nil, d end
  return false
end

-- An address item: the IPv4 field, or its IPv6 twin for IPv6 text.
local function add_addr (sub, f4, f6, a)
  if a == nil then return end
  if a:find(":", 1, true) then
    sub:add(f6, Address.ipv6(a))
  else
    sub:add(f4, Address.ip(a))
  end
end

-- The reason after "classified CLASS: " in s, whole: up to a "; " or a
-- ")" outside the parentheses it opens itself, or the end. Parentheses
-- inside it ("(VNI 100) of project ..., the service's own project") stay.
local function classified_why (s, class)
  local _, e = s:find("classified " .. class .. ": ", 1, true)
  if not e then return nil end
  local depth, i = 0, e + 1
  while i <= #s do
    local c = s:sub(i, i)
    if c == "(" then
      depth = depth + 1
    elseif c == ")" then
      if depth == 0 then break end
      depth = depth - 1
    elseif c == ";" and depth == 0 and s:sub(i + 1, i + 1) == " " then
      break
    end
    i = i + 1
  end
  local why = s:sub(e + 1, i - 1)
  if why == "" then return nil end
  return why
end

-- "STATE[ CAUSE] at NODE[ (TAG)][: RULE][; NOTE][ [ADDRS]][ (SUBJECT)]"
-- (sim_explain_format_comment); SUBJECT is "traffic NAME, request N",
-- always last. Returns a table, or nil when the text is not a simulator
-- step.
local function parse_step (text)
  local st = {}
  local rest
  st.state, st.cause, rest = text:match("^([%u%d_]+) ([%u%d_]+) at (.*)$")
  if not st.state then
    st.state, rest = text:match("^([%u%d_]+) at (.*)$")
    if not st.state then return nil end
  end
  -- Scenario names match [a-z][a-z0-9-]*, and no free text of the
  -- simulator ends a step with this: the subject is the program's.
  local r, t, q = rest:match("^(.*) %(traffic (%l[%l%d%-]*), request (%d+)%)$")
  if r then
    rest, st.traffic, st.request = r, t, tonumber(q)
  else
    r, t = rest:match("^(.*) %(traffic (%l[%l%d%-]*)%)$")
    if r then rest, st.traffic = r, t end
  end
  local body, addrs = rest:match("^(.*) %[([^%[%]]*)%]$")
  if body then
    local s, d, s2, d2 = parse_addrs(addrs)
    if s == false then
      body = rest
    else
      st.src, st.dst, st.src_after, st.dst_after = s, d, s2, d2
    end
  else
    body = rest
  end
  local node, tail = body:match("^([^%s:;]+)(.*)$")
  if not node then return nil end
  st.node = node
  -- The tag "(WORD)" right after the node is the simulator's, never free
  -- text (sim/explain.h): the GFE's classification is read there only.
  local tag, after = tail:match("^ %((%l+)%)(.*)$")
  if tag then
    st.tag = tag
    tail = after
  end
  local rule_note = tail:match("^: (.*)$")
  if rule_note then
    local r, n = rule_note:match("^(.-); (.*)$")
    if r then st.rule, st.note = r, n else st.rule = rule_note end
  else
    st.note = tail:match("^; (.*)$")
  end
  if not st.cause and is_refusal(st.state) then
    st.cause = st.state
  end
  if st.tag == "internal" or st.tag == "external" then
    st.class = st.tag
    st.why = classified_why(body, st.class)
  end
  if text:find("[assumptions]", 1, true) then
    st.assumption = true
    st.assumption_key = text:match("%[assumptions%] ([%w%-%.]+)")
  end
  return st
end

local function add_step (tree, text, n)
  local st = parse_step(text)
  if not st then
    return nil
  end
  local decision = st.state .. (st.cause and st.cause ~= st.state
                                and (" " .. st.cause) or "")
  local sub = tree:add(pf.step, text, "Decision " .. n .. ": " .. decision
                       .. " at " .. st.node)
  sub:add(pf.decision, decision):set_generated()
  sub:add(pf.state, st.state)
  if st.cause then sub:add(pf.cause, st.cause) end
  sub:add(pf.node, st.node)
  if st.rule then sub:add(pf.rule, st.rule) end
  if st.note then sub:add(pf.note, st.note) end
  if st.class then sub:add(pf.class, st.class) end
  if st.traffic then sub:add(pf.traffic, st.traffic) end
  if st.request then sub:add(pf.request, st.request) end
  add_addr(sub, pf.src, pf.src6, st.src)
  add_addr(sub, pf.dst, pf.dst6, st.dst)
  add_addr(sub, pf.src_after, pf.src_after6, st.src_after)
  add_addr(sub, pf.dst_after, pf.dst_after6, st.dst_after)
  if st.assumption then
    sub:add(pf.assumption, true)
    if st.assumption_key then
      sub:add(pf.assumption_key, st.assumption_key)
    end
  end

  -- One expert item per part of the story this step tells. Who comes
  -- right after the node, before the why (Wireshark cuts a long text): a
  -- drop or a refusal names its request, a note its traffic.
  local head = decision .. " at " .. st.node
  local who = st.traffic and (" (traffic " .. st.traffic
                              .. (st.request and (", request " .. st.request)
                                  or "") .. ")") or ""
  local whose = st.traffic and (" (traffic " .. st.traffic .. ")") or ""
  if st.state == "DROP" or st.state == "ABORT"
     or (st.state == "DNS_ANSWER" and ((st.rule or ""):find(" NXDOMAIN$")
                                       or (st.rule or ""):find(" SERVFAIL$"))) then
    sub:add_proto_expert_info(ex.drop, head .. who
                              .. (st.rule and (": " .. st.rule) or "")
                              .. (st.note and ("; " .. st.note) or ""))
  elseif is_refusal(st.state) or is_refusal(st.cause) then
    sub:add_proto_expert_info(ex.refused, head .. who
                              .. (st.rule and (": " .. st.rule) or ""))
  end
  if st.class then
    sub:add_proto_expert_info(ex.classified, "classified " .. st.class
                              .. " at " .. st.node .. whose
                              .. (st.why and (": " .. st.why) or ""))
  end
  if st.assumption then
    sub:add_proto_expert_info(ex.assumption, head .. whose
                              .. " rests on [assumptions] "
                              .. (st.assumption_key or "(unnamed)"))
  end
  return st
end

-- The first option of class 0xfff0 of the Geneve header, as a tree.
local function add_geneve (tree)
  local options = { f_option() }
  for _, fi in ipairs(options) do
    local r = fi.range
    if r and r:len() >= 12 and r(0, 2):uint() == GENEVE_CLASS then
      local t = r(2, 1):uint()
      local kind = t % 128
      local dlen = (r(3, 1):uint() % 32) * 4
      if dlen >= 8 then
        local sub = tree:add(pf.geneve, r)
        sub:add(pf.geneve_class, r(0, 2))
        sub:add(pf.geneve_type, r(2, 1))
        sub:add(pf.geneve_kind, r(2, 1), kinds[kind] or ("unknown " .. kind))
        local vni = { f_vni() }
        if vni[1] then
          sub:add(pf.geneve_network, vni[1].range)
        end
        sub:add(pf.geneve_project, r(4, 8))
        sub:set_text("Fabric identity (Geneve option class 0xfff0): "
                     .. (kinds[kind] or ("kind " .. kind))
                        .. (vni[1] and (", VNI " .. tostring(vni[1].value)) or "")
                        .. ", project " .. tostring(r(4, 8):uint64()))
        return true
      end
    end
  end
  return false
end

function proto.dissector (tvb, pinfo, tree)
  local comments = { f_comment() }
  local options = { f_option() }
  if #comments == 0 and #options == 0 then
    return
  end
  local top = nil
  local function root ()
    if not top then
      top = tree:add(proto)
      local ifname = f_ifname()
      if ifname then
        local name = tostring(ifname.value)
        local h = top:add(pf.hop, name)
        local n, p = name:match("^([^/]+)/(.*)$")
        if n then
          h:add(pf.hop_node, n)
          h:add(pf.hop_port, p)
        end
      end
    end
    return top
  end
  local n = 0
  for _, fi in ipairs(comments) do
    local text = tostring(fi.value)
    if parse_step(text) then
      n = n + 1
      add_step(root(), text, n)
    end
  end
  if #options > 0 then
    -- Build the tree only when the option is ours.
    for _, fi in ipairs(options) do
      local r = fi.range
      if r and r:len() >= 12 and r(0, 2):uint() == GENEVE_CLASS then
        add_geneve(root())
        break
      end
    end
  end
end

register_postdissector(proto)
