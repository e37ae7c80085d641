# Shared by start.sh and scale-down.sh: the chart's templates put this file in front of each.
#
# trust_cluster_tls: Java 17 reads no PEM trust store, so rosterctl gets a PKCS12 one built from the TLS
# Secret's CA in $ROSTER_TLS_DIR (or from the certificate itself when it is self-signed).
trust_cluster_tls() {
    local ca="$ROSTER_TLS_DIR/ca.crt" java_bin truststore keytool_out
    [[ -s "$ca" ]] || ca="$ROSTER_TLS_DIR/tls.crt"
    java_bin="${JAVA_HOME:+$JAVA_HOME/bin}"
    [[ -x "$java_bin/keytool" ]] || java_bin="$(dirname "$(readlink -f "$(command -v java)")")"
    truststore="${TMPDIR:-/tmp}/roster-truststore.p12"
    rm -f "$truststore"
    if ! keytool_out="$("$java_bin/keytool" -importcert -noprompt -alias roster-ca -file "$ca" -keystore "$truststore" \
        -storetype PKCS12 -storepass roster-trust 2>&1)"; then
        log "cannot build rosterctl's trust store $truststore from $ca: $keytool_out"
        exit 1
    fi
    export ROSTERCTL_JAVA_OPTS="${ROSTERCTL_JAVA_OPTS:-} -Djavax.net.ssl.trustStore=$truststore -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=roster-trust"
}

