package io.videotranscoder.redis;

/** Lua for the scripts that compare stream entry ids ({@code <ms>-<seq>}), which Lua cannot compare as text. */
public final class StreamIdsLua {

    /** {@code older(a, b)}: whether id {@code a} comes before id {@code b}. */
    public static final String OLDER = """
            local function split(id)
              local ms, seq = string.match(id, '^(%d+)-(%d+)$')
              return tonumber(ms), tonumber(seq)
            end
            local function older(a, b)
              local am, as = split(a)
              local bm, bs = split(b)
              return am < bm or (am == bm and as < bs)
            end
            """;

    private StreamIdsLua() {
    }
}
