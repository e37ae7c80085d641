package io.roster;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.roster.raft.RaftNode;
import io.roster.store.KeyEvent;
import io.roster.store.KeyValue;
import org.springframework.context.annotation.Conditional;

import java.util.regex.Pattern;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Keeps the layers of ARCHITECTURE.md standing (ADR 0018 says how the packages depend on each other). */
@AnalyzeClasses(packages = "io.roster", importOptions = {ImportOption.DoNotIncludeTests.class,
        ArchitectureTest.NotGeneratedAheadOfTime.class})
class ArchitectureTest {

    /**
     * Leaves out what {@code spring-boot:process-aot} writes next to the compiled classes after the tests ran once
     * (ADR 0022): its bean registrations reach every package by design, and nobody edits them.
     */
    static final class NotGeneratedAheadOfTime implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.matches(Pattern.compile(".*__(BeanDefinitions|BeanFactoryRegistrations|ApplicationContextInitializer)"
                    + "(\\$.*)?\\.class"));
        }
    }

    @ArchTest
    static final ArchRule storeIsPure = noClasses().that().resideInAPackage("io.roster.store..")
            .should().dependOnClassesThat().resideOutsideOfPackages("io.roster.store..", "java..")
            .because("the state machine must be deterministic and testable without Raft, Spring or I/O");

    @ArchTest
    static final ArchRule onlyApiKnowsHttp = noClasses().that().resideInAnyPackage(
                    "io.roster.store..", "io.roster.raft..", "io.roster.kv..", "io.roster.lease..", "io.roster.cluster..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "org.springframework.http..",
                    "reactor.netty..", "io.netty.handler.codec.http..")
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

    @ArchTest
    static final ArchRule settingsShapeNoBeans = noClasses().should().beMetaAnnotatedWith(Conditional.class)
            .because("a start uses the bean definitions the build computed (ADR 0022, AheadOfTimeStart), so no Roster "
                    + "setting (or profile) may decide which beans exist");

    @ArchTest
    static final ArchRule settingsShapeNoBeanMethods = noMethods().should().beMetaAnnotatedWith(Conditional.class)
            .because("a start uses the bean definitions the build computed (ADR 0022, AheadOfTimeStart)");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.roster.(*)..").should().beFreeOfCycles()
            .because("each top-level package is one layer or one concern, and depends only on those below it");

    /**
     * The key space's two value records, {@link KeyValue} and {@link KeyEvent}, are what the kv and watch
     * façades hand out as they are: copying each watched event into a look-alike record would cost a copy per
     * event per watcher and say nothing new. Everything else of the store (the store itself, its state, codec,
     * commands and their results, members, leases) stays behind the façades.
     */
    @ArchTest
    static final ArchRule apiReachesTheStoreOnlyThroughFacades = noClasses().that().resideInAPackage("io.roster.api..")
            .should().dependOnClassesThat(resideInAPackage("io.roster.store..").and(not(belongToAnyOf(KeyValue.class, KeyEvent.class))))
            .because("controllers ask the façades (kv, lease, registry, watch, cluster, auth), whose results carry the revision");

    @ArchTest
    static final ArchRule apiReachesRaftOnlyThroughFacades = noClasses().that().resideInAPackage("io.roster.api..")
            .should().dependOnClassesThat().belongToAnyOf(RaftNode.class)
            .because("proposals, read barriers and leader calls are the façades' business, not the controllers'");

    @ArchTest
    static final ArchRule configIsPlainSettings = noClasses().that().resideInAPackage("io.roster.config..")
            .should().dependOnClassesThat(resideInAPackage("io.roster..").and(not(resideInAPackage("io.roster.config.."))))
            .because("settings are read by every layer, so they may know none of them; the wiring lives in io.roster.node");

    @ArchTest
    static final ArchRule onlyTheApplicationKnowsTheWiring = noClasses().that().resideOutsideOfPackage("io.roster.node..")
            .should().dependOnClassesThat().resideInAPackage("io.roster.node..")
            .because("io.roster.node assembles the node from every package; nothing may depend on the assembly");
}
