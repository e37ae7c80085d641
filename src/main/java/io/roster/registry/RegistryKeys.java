package io.roster.registry;

/** Instances are keys under a reserved prefix: {@code /registry/services/{service}/{instanceId}}. */
public final class RegistryKeys {

    public static final String PREFIX = "/registry/services/";

    private RegistryKeys() {
    }

    public static String instanceKey(String service, String instanceId) {
        return PREFIX + service + "/" + instanceId;
    }

    public static String servicePrefix(String service) {
        return PREFIX + service + "/";
    }

    /** The service of an instance key, or null when the key is not an instance key. */
    public static String serviceOf(String key) {
        if (!key.startsWith(PREFIX)) {
            return null;
        }
        int slash = key.indexOf('/', PREFIX.length());
        return slash < 0 ? null : key.substring(PREFIX.length(), slash);
    }

    public static String instanceIdOf(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
