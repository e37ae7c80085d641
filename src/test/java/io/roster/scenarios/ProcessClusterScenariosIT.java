package io.roster.scenarios;

import io.roster.testing.ContainerEngine;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterProcess;
import io.roster.testing.cluster.ProcessTestCluster;
import io.roster.testing.cluster.TestCluster;
import org.junit.jupiter.api.TestInfo;

/** The cluster scenarios on three processes of the built jar, configured by the shipped application.yml. */
class ProcessClusterScenariosIT extends ClusterScenarios {

    @Override
    protected TestCluster startCluster(TestInfo test) {
        return ProcessTestCluster.start(ProcessCluster.builder().members(3)
                // As the README shows operators: the shipped application.yml, with ROSTER_* variables on top.
                .arg("--spring.config.additional-location=file:" + ContainerEngine.projectDir().resolve("application.yml"))
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName())).build());
    }
}
