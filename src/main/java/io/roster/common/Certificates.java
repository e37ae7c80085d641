package io.roster.common;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What Roster reads from a certificate to name who presented it. */
public final class Certificates {

    private Certificates() {
    }

    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;

    /**
     * The names a certificate may stand for as a user, in the order they are tried: the subject's CN, then
     * its DNS and email subject alternative names (a workload certificate often carries its identity only
     * there).
     */
    public static List<String> userNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        String commonName = commonName(certificate);
        if (commonName != null) {
            names.add(commonName);
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.get(0) instanceof Integer type && (type == SAN_DNS || type == SAN_EMAIL)
                            && alternative.get(1) instanceof String name && !names.contains(name)) {
                        names.add(name);
                    }
                }
            }
        } catch (CertificateParsingException unreadable) {
            // the CN alone, then
        }
        return names;
    }

    /** The subject's CN, or null when it has none (or the subject cannot be read). */
    public static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
