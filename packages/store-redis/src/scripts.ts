import type { Redis } from 'ioredis';

/**
 * The Lua scripts: each change that must be atomic across processes runs as one script (Redis runs
 * a script alone). Keys built inside a script follow {@link RedisKeys}; a single Redis (or a
 * primary with replicas) is assumed, not Redis Cluster.
 */

/**
 * Marks a message settled: it, its idempotency key and its correlations expire after the
 * retention. Its body (`msg`, an OTP code maybe) is dropped at once: only a takeover needed it.
 */
const settle = `
local function settle(ns, m, id, retention)
  redis.call('HSET', m, 't', '1')
  redis.call('HDEL', m, 'msg')
  redis.call('PEXPIRE', m, retention)
  local key = redis.call('HGET', m, 'k')
  if key then
    local kk = ns .. ':k:' .. key
    if redis.call('GET', kk) == id then redis.call('PEXPIRE', kk, retention) end
  end
  local mc = ns .. ':mc:' .. id
  for _, c in ipairs(redis.call('SMEMBERS', mc)) do
    if redis.call('GET', c) == id then redis.call('PEXPIRE', c, retention) end
  end
  redis.call('PEXPIRE', mc, retention)
  local owner = redis.call('HGET', m, 'o')
  if owner then redis.call('SREM', ns .. ':own:' .. owner, id) end
end
`;

/** KEYS: message, idempotency key or '', owner set or ''. ARGV: id, pendingTtl, retention, ns, terminal, fields… */
const create = `${settle}
local k = KEYS[2]
if k ~= '' then
  local existing = redis.call('GET', k)
  if existing then return existing end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if k ~= '' then redis.call('SET', k, ARGV[1], 'PX', ARGV[2]) end
if KEYS[3] ~= '' then
  redis.call('SADD', KEYS[3], ARGV[1])
  -- Never outlives its newest message: ids of messages that expired unsettled go with it.
  if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
end
if ARGV[5] == '1' then settle(ARGV[4], KEYS[1], ARGV[1], ARGV[3]) end
return false
`;

/**
 * KEYS: message. ARGV: ns, id, retention, writer ('' for any), number of fields to delete, those
 * fields, then field/value pairs. A writer that no longer owns the message (it was taken over
 * from it) changes nothing.
 */
const update = `${settle}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[4] ~= '' then
  local owner = redis.call('HGET', KEYS[1], 'o')
  if owner and owner ~= ARGV[4] then return -1 end
end
local was = redis.call('HGET', KEYS[1], 't')
local deletes = tonumber(ARGV[5])
if deletes > 0 then redis.call('HDEL', KEYS[1], unpack(ARGV, 6, 5 + deletes)) end
if #ARGV > 5 + deletes then redis.call('HSET', KEYS[1], unpack(ARGV, 6 + deletes)) end
if was ~= '1' and redis.call('HGET', KEYS[1], 't') == '1' then settle(ARGV[1], KEYS[1], ARGV[2], ARGV[3]) end
return 1
`;

/** KEYS: message, correlation, the message's correlation set. ARGV: id, pendingTtl. Lives as long as its message. */
const correlate = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then ttl = tonumber(ARGV[2]) end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
redis.call('SADD', KEYS[3], KEYS[2])
redis.call('PEXPIRE', KEYS[3], ttl)
return 1
`;

/**
 * KEYS: the message's stream, the global stream, the message. ARGV: ns, id, event JSON, type,
 * attempt, terminal, pendingTtl, eventRetention, retention, publisher. Appends the event to both
 * streams (the global one trimmed by age) and records the message's last status: what a process
 * taking it over goes by. A terminal event settles the message in the same step. A publisher that
 * no longer owns the message (presumed dead, taken over) is refused (-1): the shared record and
 * streams keep one story per message.
 */
const publish = `${settle}
local owner = redis.call('HGET', KEYS[3], 'o')
if owner and owner ~= ARGV[10] then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('XADD', KEYS[1], '*', 'e', ARGV[3])
if ARGV[6] == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[8]) else redis.call('PEXPIRE', KEYS[1], ARGV[7]) end
redis.call('XADD', KEYS[2], 'MINID', '~', tostring(now - tonumber(ARGV[8])), '*', 'e', ARGV[3])
if redis.call('EXISTS', KEYS[3]) == 1 and redis.call('HGET', KEYS[3], 't') ~= '1' then
  redis.call('HSET', KEYS[3], 's', ARGV[4], 'a', ARGV[5])
  if ARGV[6] == '1' then settle(ARGV[1], KEYS[3], ARGV[2], ARGV[9]) end
end
return 1
`;

/**
 * KEYS: the message. ARGV: ns, this process, report JSON, inbox TTL. Hands a receipt to the
 * process that owns the message (read and written in one step, so a takeover never loses it).
 * Answers the owner, 'self' when it is this process, or false when the message is settled or gone.
 */
const forward = `
local owner = redis.call('HGET', KEYS[1], 'o')
if not owner or redis.call('HGET', KEYS[1], 't') == '1' then return false end
if owner == ARGV[2] then return 'self' end
local inbox = ARGV[1] .. ':inbox:' .. owner
redis.call('XADD', inbox, 'MAXLEN', '~', '100000', '*', 'r', ARGV[3])
redis.call('PEXPIRE', inbox, ARGV[4])
return owner
`;

/** KEYS: alive key, instances set. ARGV: ttl, this process. Answers 1 when the key was still there. */
const heartbeat = `
local had = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return had
`;

/**
 * KEYS: alive key, instances set, this process's owned set. ARGV: ttl, this process, ns. The first
 * heartbeat of a process: in the same step it answers the unsettled messages a previous run under
 * the same name left (a survivor's claim checks the alive key, so none takes them meanwhile), and
 * forgets ids whose record expired or moved to another owner.
 */
const resume = `
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
local ids = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local m = ARGV[3] .. ':m:' .. id
  if redis.call('HGET', m, 'o') == ARGV[2] and redis.call('HGET', m, 't') ~= '1' then
    ids[#ids + 1] = id
  else
    redis.call('SREM', KEYS[3], id)
  end
end
return ids
`;

/**
 * KEYS: instances set, the dead one's alive key, its owned set, this process's owned set, its
 * inbox. ARGV: ns, dead process, this process. Moves a dead process's unsettled messages to this
 * one, once (the first survivor to ask wins), with the receipts forwarded to it meanwhile.
 */
const claim = `
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
if redis.call('SREM', KEYS[1], ARGV[2]) == 0 then return false end
local ids = redis.call('SMEMBERS', KEYS[3])
local moved = {}
local longest = 0
for _, id in ipairs(ids) do
  local m = ARGV[1] .. ':m:' .. id
  if redis.call('EXISTS', m) == 1 and redis.call('HGET', m, 't') ~= '1' then
    redis.call('HSET', m, 'o', ARGV[3])
    redis.call('SADD', KEYS[4], id)
    moved[#moved + 1] = id
    local ttl = redis.call('PTTL', m)
    if ttl > longest then longest = ttl end
  end
end
if longest > 0 and redis.call('PTTL', KEYS[4]) < longest then redis.call('PEXPIRE', KEYS[4], longest) end
redis.call('DEL', KEYS[3])
local inbox = {}
for _, entry in ipairs(redis.call('XRANGE', KEYS[5], '-', '+')) do inbox[#inbox + 1] = entry[2][2] end
redis.call('DEL', KEYS[5])
return {moved, inbox}
`;

/**
 * KEYS: the channel's rate key. ARGV: interval (ms between submits), burst. A GCRA reservation:
 * each caller takes the next free slot and is told how long to wait for it, so every process
 * together never goes faster than the rate, whatever their clocks (Redis' TIME is the only clock).
 */
const reserve = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nextTat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now) + 1000)
local wait = nextTat - tonumber(ARGV[2]) * interval - now
if wait < 0 then return 0 end
return math.ceil(wait)
`;

type Arg = string | number;

/** The scripts as commands of one client. */
export interface TidingsScripts {
  tidingsCreate(...args: Arg[]): Promise<string | null>;
  tidingsUpdate(...args: Arg[]): Promise<number>;
  tidingsCorrelate(...args: Arg[]): Promise<number>;
  tidingsPublish(...args: Arg[]): Promise<number>;
  tidingsForward(...args: Arg[]): Promise<string | null>;
  tidingsHeartbeat(...args: Arg[]): Promise<number>;
  tidingsResume(...args: Arg[]): Promise<string[]>;
  tidingsClaim(...args: Arg[]): Promise<[string[], string[]] | null>;
  tidingsReserve(...args: Arg[]): Promise<number>;
}

const definitions: ReadonlyArray<readonly [keyof TidingsScripts, number, string]> = [
  ['tidingsCreate', 3, create],
  ['tidingsUpdate', 1, update],
  ['tidingsCorrelate', 3, correlate],
  ['tidingsPublish', 3, publish],
  ['tidingsForward', 1, forward],
  ['tidingsHeartbeat', 2, heartbeat],
  ['tidingsResume', 3, resume],
  ['tidingsClaim', 5, claim],
  ['tidingsReserve', 1, reserve],
];

/** Defines the scripts on a client (once; ioredis sends EVALSHA and loads a script when missing). */
export function withScripts(redis: Redis): Redis & TidingsScripts {
  const scripted = redis as Redis & TidingsScripts;
  for (const [name, numberOfKeys, lua] of definitions) {
    if (typeof (scripted as unknown as Record<string, unknown>)[name] !== 'function')
      redis.defineCommand(name, { numberOfKeys, lua });
  }
  return scripted;
}
