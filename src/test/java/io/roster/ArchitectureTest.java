package io.roster;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps the layers of ARCHITECTURE.md standing. */
@AnalyzeClasses(packages = "io.roster", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule storeIsPure = noClasses().that().resideInAPackage("io.roster.store..")
            .should().dependOnClassesThat().resideOutsideOfPackages("io.roster.store..", "java..")
            .because("the state machine must be deterministic and testable without Raft, Spring or I/O");

    @ArchTest
    static final ArchRule onlyApiKnowsHttp = noClasses().that().resideInAnyPackage(
                    "io.roster.store..", "io.roster.raft..", "io.roster.kv..", "io.roster.lease..", "io.roster.cluster..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "org.springframework.http..",
                    "jakarta.servlet..")
            .because("nothing below the api layer knows HTTP");

    @ArchTest
    static final ArchRule storeReadsNoClock = noClasses().that().resideInAPackage("io.roster.store..")
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .because("time enters only through the leader's lease clock");

    @ArchTest
    static final ArchRule cliAndClientKnowNoSpring = noClasses().that().resideInAnyPackage("io.roster.cli..", "io.roster.client..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
            .because("rosterctl runs from the server's jar without starting Spring, and must start in well under a second");

    @ArchTest
    static final ArchRule storeKnowsNoTimeRandomnessOrFiles = noClasses().that().resideInAPackage("io.roster.store..")
            .should().dependOnClassesThat().resideInAnyPackage("java.time..", "java.nio.file..")
            .orShould().dependOnClassesThat().belongToAnyOf(java.util.Random.class, java.util.concurrent.ThreadLocalRandom.class,
                    java.security.SecureRandom.class, java.util.UUID.class)
            .orShould().callMethod(Math.class, "random")
            .because("every replica must compute the same state from the same log");

    @ArchTest
    static final ArchRule jraftAndDropwizardStayInRaft = noClasses().that().resideOutsideOfPackage("io.roster.raft..")
            .should().dependOnClassesThat().resideInAnyPackage("com.alipay..", "com.codahale..")
            .because("JRaft's types, and the Dropwizard metrics it reports in, stay behind the raft package");
}
