package io.roster.raft;

import com.alipay.remoting.TimerHolder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roster's coarse {@link TimerHolder} is the one bolt gets, and bolt's own is still the one it replaces. The wheel
 * itself is not started here: the first caller fixes its tick for the whole JVM, which the Raft tests' nodes set.
 */
class BoltTimerHolderTest {

    private static final String CLASS_FILE = "com/alipay/remoting/TimerHolder.class";
    /** SHA-256 of bolt 1.6.12's TimerHolder.class, the class Roster's replaces. */
    private static final String REPLACED_BOLT_CLASS = "738c064b86d0544bc2517dfba3a7c7d4df9ab94a7dafd0e76e56af7b0f1cd9cb";

    @Test
    void boltLoadsRostersTimerHolderAheadOfItsOwn() throws IOException {
        List<URL> copies = Collections.list(getClass().getClassLoader().getResources(CLASS_FILE));
        assertThat(copies).as("Roster's and bolt's").hasSize(2);
        assertThat(copies.get(0).toString()).as("the first on the class path is loaded").doesNotContain("bolt-");
        assertThat(TimerHolder.class.getProtectionDomain().getCodeSource().getLocation().toString()).doesNotContain("bolt-");
    }

    @Test
    void boltsTimerHolderIsTheVersionRostersReplaces() throws IOException, NoSuchAlgorithmException {
        URL bolts = Collections.list(getClass().getClassLoader().getResources(CLASS_FILE)).stream()
                .filter(url -> url.toString().contains("bolt-")).findFirst().orElseThrow();
        byte[] bytes;
        try (InputStream in = bolts.openStream()) {
            bytes = in.readAllBytes();
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(sha256)
                .as("bolt's TimerHolder changed (%s): check that src/main/java/com/alipay/remoting/TimerHolder.java still "
                        + "offers what bolt calls, then record the new hash here", bolts)
                .isEqualTo(REPLACED_BOLT_CLASS);
    }

    @Test
    void theTickIsATwentiethOfTheElectionTimeoutAtMost50Ms() {
        assertThat(RaftNode.boltTimerTickMillis(Duration.ofMillis(1000))).as("the default timeout").isEqualTo(50);
        assertThat(RaftNode.boltTimerTickMillis(Duration.ofMillis(300))).as("the tests' timeout").isEqualTo(15);
        assertThat(RaftNode.boltTimerTickMillis(Duration.ofSeconds(10))).isEqualTo(50);
        assertThat(RaftNode.boltTimerTickMillis(Duration.ofMillis(10))).isEqualTo(1);
    }
}
