package io.videotranscoder.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The arguments of a Lua script: some leading values, then a hash's fields as name, value, name, value... */
public final class ScriptArgs {

    private ScriptArgs() {
    }

    public static List<String> of(Map<String, String> fields, String... first) {
        List<String> args = new ArrayList<>(first.length + 2 * fields.size());
        args.addAll(List.of(first));
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return args;
    }
}
