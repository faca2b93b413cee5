import ChatRedis

/// The Lua scripts that change the cluster's shared state (docs/CLUSTER.md, "The scripts"). Each runs
/// atomically in Redis: its checks and its append to `chat:log` cannot be split by another node's.
enum ClusterScripts {
    /// `append(fields)`: the next id from `chat:seq`, Redis's clock in milliseconds, one stream entry.
    static let prelude = """
        local function append(fields)
          local s = redis.call('INCR', 'chat:seq')
          local now = redis.call('TIME')
          local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
          redis.call('XADD', 'chat:log', 'MAXLEN', '~', '100000', '*', 's', s, 't', ms, unpack(fields))
          return s
        end
        local function tail(from)
          local fields = {}
          for i = from, #ARGV do fields[#fields + 1] = ARGV[i] end
          return fields
        end
        local function owned(sk, node)
          return redis.call('HGET', sk, 'node') == node
        end
        local function hash(token)
          if token == '' then return '' end
          return redis.sha1hex(token)
        end

        """

    /// ARGV: node, connection, nick key, nick, room, new token, offered token. A held nick goes to the
    /// offered token's owner (a `resume` entry), else `nick_in_use`; a free one becomes a new session whose id
    /// is its `hello` entry's.
    static let hello = RedisScript(
        prelude + """
            local node, conn, key, nick, room, token, offered =
              ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
            local holder = redis.call('HGET', 'chat:nicks', key)
            if holder then
              local sk = 'chat:session:' .. holder
              if offered ~= '' and redis.call('HGET', sk, 'tok') == redis.sha1hex(offered) then
                local old = redis.call('HGET', sk, 'node')
                if old then redis.call('SREM', 'chat:owned:' .. old, holder) end
                redis.call('SADD', 'chat:owned:' .. node, holder)
                redis.call('HSET', sk, 'node', node, 'tok', hash(token))
                return append({'k', 'resume', 'o', node, 'sid', holder, 'c', conn})
              end
              return redis.error_reply('nick_in_use')
            end
            local sid = append({'k', 'hello', 'o', node, 'c', conn, 'nick', nick, 'room', room})
            redis.call('HSET', 'chat:nicks', key, sid)
            redis.call('HSET', 'chat:session:' .. sid, 'node', node, 'key', key, 'nick', nick, 'room', room,
              'tok', hash(token))
            redis.call('SADD', 'chat:owned:' .. node, sid)
            return sid
            """)

    /// ARGV: node, session, room (for a move, else empty), the entry's fields. A message is stamped with its
    /// sender's nick (`n`) and room (`r`), which is where it is applied too (the session's moves pass through here in order), so
    /// that a starting node can rebuild the room history from the log.
    static let post = RedisScript(
        prelude + """
            local sk = 'chat:session:' .. ARGV[2]
            if not owned(sk, ARGV[1]) then return redis.error_reply('gone') end
            local fields = tail(4)
            if ARGV[3] ~= '' then
              redis.call('HSET', sk, 'room', ARGV[3])
            else
              local h = redis.call('HMGET', sk, 'room', 'nick')
              fields[#fields + 1] = 'r'
              fields[#fields + 1] = h[1] or ''
              fields[#fields + 1] = 'n'
              fields[#fields + 1] = h[2] or ''
            end
            return append(fields)
            """)

    /// The log's last stream id and `chat:seq`, then each session as id, node, nick, room.
    static let snapshot = RedisScript(
        """
        local last = redis.call('XREVRANGE', 'chat:log', '+', '-', 'COUNT', 1)
        local out = {'0', redis.call('GET', 'chat:seq') or '0'}
        if #last > 0 then out[1] = last[1][1] end
        for _, n in ipairs(redis.call('SMEMBERS', 'chat:nodes')) do
          for _, sid in ipairs(redis.call('SMEMBERS', 'chat:owned:' .. n)) do
            local h = redis.call('HMGET', 'chat:session:' .. sid, 'node', 'nick', 'room')
            if h[1] then
              out[#out + 1] = sid
              out[#out + 1] = h[1]
              out[#out + 1] = h[2]
              out[#out + 1] = h[3]
            end
          end
        end
        return out
        """)

    /// ARGV: node, session, new nick key, new nick, the entry's fields.
    static let rename = RedisScript(
        prelude + """
            local sid = ARGV[2]
            local sk = 'chat:session:' .. sid
            if not owned(sk, ARGV[1]) then return redis.error_reply('gone') end
            local holder = redis.call('HGET', 'chat:nicks', ARGV[3])
            if holder and holder ~= sid then return redis.error_reply('nick_in_use') end
            local old = redis.call('HGET', sk, 'key')
            if old and redis.call('HGET', 'chat:nicks', old) == sid then redis.call('HDEL', 'chat:nicks', old) end
            redis.call('HSET', 'chat:nicks', ARGV[3], sid)
            redis.call('HSET', sk, 'key', ARGV[3], 'nick', ARGV[4])
            return append(tail(5))
            """)

    /// ARGV: node, session, the entry's fields. Frees the nick and forgets the session.
    static let end = RedisScript(
        prelude + """
            local sid = ARGV[2]
            local sk = 'chat:session:' .. sid
            if not owned(sk, ARGV[1]) then return redis.error_reply('gone') end
            local key = redis.call('HGET', sk, 'key')
            if key and redis.call('HGET', 'chat:nicks', key) == sid then redis.call('HDEL', 'chat:nicks', key) end
            redis.call('DEL', sk)
            redis.call('SREM', 'chat:owned:' .. ARGV[1], sid)
            return append(tail(3))
            """)

    /// ARGV: node, session, nick key, nick, room, token, the entry's fields. After the store lost its data.
    static let restore = RedisScript(
        prelude + """
            local sid = ARGV[2]
            local holder = redis.call('HGET', 'chat:nicks', ARGV[3])
            if holder and holder ~= sid then return redis.error_reply('nick_in_use') end
            redis.call('HSET', 'chat:nicks', ARGV[3], sid)
            redis.call('HSET', 'chat:session:' .. sid, 'node', ARGV[1], 'key', ARGV[3], 'nick', ARGV[4],
              'room', ARGV[5], 'tok', hash(ARGV[6]))
            redis.call('SADD', 'chat:owned:' .. ARGV[1], sid)
            return append(tail(7))
            """)

    /// ARGV: node, lease in ms, last applied id, an epoch to set if there is none. Answers the epoch. Also keeps
    /// `chat:heard` alive for half a lease; if it is gone, no node renewed for that long (Redis hung or was cut
    /// off, or every node was down), and `chat:grace` stops reaps for one lease: time for live nodes to renew.
    static let lease = RedisScript(
        """
        local half = math.floor(tonumber(ARGV[2]) / 2)
        if redis.call('EXISTS', 'chat:heard') == 0 then redis.call('SET', 'chat:grace', '1', 'PX', ARGV[2]) end
        redis.call('SET', 'chat:heard', '1', 'PX', half)
        redis.call('SET', 'chat:node:' .. ARGV[1], '1', 'PX', ARGV[2])
        redis.call('SADD', 'chat:nodes', ARGV[1])
        local seq = tonumber(redis.call('GET', 'chat:seq') or '0')
        if seq < tonumber(ARGV[3]) then redis.call('SET', 'chat:seq', ARGV[3]) end
        redis.call('SET', 'chat:epoch', ARGV[4], 'NX')
        return redis.call('GET', 'chat:epoch')
        """)

    /// ARGV: a node to reap even though its lease lives (this node, at its start: what an earlier process of
    /// the same name owned is gone), or empty; the lease in ms. One `leave` per session of each node whose lease
    /// ran out, except in a grace after a silence (see `lease`): a lease that ran out while Redis answered nobody
    /// (a reap it runs late, from its buffer, after hanging) says nothing about the node. The node named is
    /// reaped even then.
    static let reap = RedisScript(
        prelude + """
            if redis.call('EXISTS', 'chat:heard') == 0 then redis.call('SET', 'chat:grace', '1', 'PX', ARGV[2]) end
            local quiet = redis.call('EXISTS', 'chat:grace') == 1
            local count = 0
            for _, n in ipairs(redis.call('SMEMBERS', 'chat:nodes')) do
              if n == ARGV[1] or (not quiet and redis.call('EXISTS', 'chat:node:' .. n) == 0) then
                for _, sid in ipairs(redis.call('SMEMBERS', 'chat:owned:' .. n)) do
                  local sk = 'chat:session:' .. sid
                  local key = redis.call('HGET', sk, 'key')
                  if key and redis.call('HGET', 'chat:nicks', key) == sid then
                    redis.call('HDEL', 'chat:nicks', key)
                  end
                  redis.call('DEL', sk)
                  append({'k', 'leave', 'o', n, 'sid', sid, 'why', 'reaped'})
                  count = count + 1
                end
                redis.call('DEL', 'chat:owned:' .. n)
                if n ~= ARGV[1] then redis.call('SREM', 'chat:nodes', n) end
              end
            end
            return count
            """)

    static let all = [hello, post, rename, end, restore, lease, reap, snapshot]
}
