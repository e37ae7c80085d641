package io.roster.scenarios;

import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestCluster;
import org.junit.jupiter.api.TestInfo;

/** The cluster scenarios on three Roster applications in this JVM. */
class InJvmClusterScenariosTest extends ClusterScenarios {

    @Override
    protected TestCluster startCluster(TestInfo test) {
        return ApplicationCluster.start(3);
    }
}
