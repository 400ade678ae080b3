package io.interestfl.interest.data;

import io.interestfl.protocol.ConfigFiles;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an {@link EventLogFormat} from a mapping: a YAML file or an {@link EventLogFormat.Spec} assembled from
 * command-line options, starting from a preset when one is named; and parses the option values (separator,
 * behaviour map). Reached through {@link EventLogFormat#fromYaml}, {@link EventLogFormat#fromSpec},
 * {@link EventLogFormat#parseSeparator} and {@link EventLogFormat#parseBehaviourMap}.
 */
final class EventLogMapping {
    private EventLogMapping() {
    }

    /** Reads a mapping file; errors name the file (and, for unknown keys, the key and line). */
    static EventLogFormat fromYaml(Path file) {
        EventLogFormat.Spec s = ConfigFiles.readYaml(file, EventLogFormat.Spec.class);
        try {
            return fromSpec(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The spec's preset (or the defaults) with every key the spec sets overridden. */
    static EventLogFormat fromSpec(EventLogFormat.Spec s) {
        EventLogFormat.Builder b = s.preset == null ? EventLogFormat.builder() : EventLogFormat.preset(s.preset).toBuilder();
        override(s.separator, v -> b.separator(parseSeparator(v)));
        override(s.header, v -> b.header(v ? EventLogFormat.Header.PRESENT : EventLogFormat.Header.ABSENT));
        override(s.user, b::user);
        override(s.item, b::item);
        override(s.timestamp, b::timestamp);
        override(s.timestampFormat, b::timeFormat);
        override(s.zone, v -> b.zone(ZoneId.of(v)));
        override(s.behaviour, b::behaviourColumn);
        override(s.behaviours, v -> {
            b.behaviours(Map.of());
            v.forEach((label, kind) -> b.behaviour(label, Behaviour.parse(kind)));
        });
        override(s.category, b::category);
        override(s.value, b::value);
        override(s.minValue, b::minValue);
        return b.build();
    }

    /** Applies a key the spec sets; a null key keeps the preset's (or the default) value. */
    private static <T> void override(T value, Consumer<T> apply) {
        if (value != null) {
            apply.accept(value);
        }
    }

    /** {@code ","}, {@code ";"}, {@code "\t"}, {@code "tab"}, {@code "comma"} or {@code "auto"} (returns 0). */
    static char parseSeparator(String s) {
        return switch (s) {
            case "auto" -> 0;
            case "tab", "\\t", "\t", "tsv" -> '\t';
            case "comma", "csv" -> ',';
            default -> {
                if (s.length() != 1) {
                    throw new IllegalArgumentException("separator must be one character, tab, comma or auto, got '"
                            + s + "'");
                }
                yield s.charAt(0);
            }
        };
    }

    /** Parses {@code label=kind,label=kind} (e.g. {@code pv=view,fav=favorite}). */
    static Map<String, Behaviour> parseBehaviourMap(String s) {
        Map<String, Behaviour> out = new LinkedHashMap<>();
        for (String part : s.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("behaviour mapping entry '" + part + "' is not label=kind");
            }
            out.put(part.substring(0, eq).trim(), Behaviour.parse(part.substring(eq + 1)));
        }
        return out;
    }
}
