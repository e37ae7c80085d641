package io.roster.cloud.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A key prefix of Roster's key-value store read as properties: key {@code <prefix>db/url} is property
 * {@code db.url}. Keys with nothing after the prefix are not properties and are skipped.
 */
record KeyPrefix(String value) {

    KeyPrefix {
        if (value.startsWith("/")) {
            value = value.substring(1);
        }
        if (!value.isEmpty() && !value.endsWith("/")) {
            value = value + "/";
        }
    }

    /** The default prefix of an application: config/&lt;name&gt;/. */
    static KeyPrefix ofApplication(String applicationName) {
        return new KeyPrefix("config/" + applicationName + "/");
    }

    /** The property a key under this prefix stands for, or null for a key that names no property. */
    String propertyName(String key) {
        if (!key.startsWith(value) || key.length() == value.length()) {
            return null;
        }
        return key.substring(value.length()).replace('/', '.');
    }

    /** Keys and values under the prefix as properties, in key order. */
    Map<String, Object> properties(Map<String, String> keyValues) {
        Map<String, Object> properties = new LinkedHashMap<>();
        keyValues.forEach((key, text) -> {
            String name = propertyName(key);
            if (name != null) {
                properties.put(name, text);
            }
        });
        return properties;
    }

    @Override
    public String toString() {
        return value;
    }
}
