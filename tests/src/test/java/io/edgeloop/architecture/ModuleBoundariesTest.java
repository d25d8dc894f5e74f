package io.edgeloop.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module boundaries of README.md's "Architecture" section, checked on the production classes
 * of every module (this module sees them all). A violation fails the build and names the class,
 * the forbidden dependency and the line.
 */
@AnalyzeClasses(packages = "io.edgeloop", importOptions = {ImportOption.DoNotIncludeTests.class,
        ModuleBoundariesTest.DoNotIncludeTestJars.class})
class ModuleBoundariesTest {

    /** The server runs agents as processes (the demo) and talks to them over HTTP and MQTT; it never links them. */
    @ArchTest
    static final ArchRule serverNeverUsesTheAgent = noClasses().that().resideInAPackage("io.edgeloop.server..")
            .should().dependOnClassesThat().resideInAPackage("io.edgeloop.agent..")
            .because("the fleet server must not carry the agent (README.md, Architecture)");

    /**
     * What a device runs stays light: no server, no training, quantization, datasets or ONNX
     * protobuf classes (all of {@code io.edgeloop.packager}), no DJL or broker. The optional
     * PyTorch engine plug-in is the one place DJL may appear.
     */
    @ArchTest
    static final ArchRule agentStaysLight = noClasses().that().resideInAPackage("io.edgeloop.agent..")
            .and().resideOutsideOfPackage("io.edgeloop.agent.engine.pytorch..")
            .should().dependOnClassesThat().resideInAnyPackage("io.edgeloop.server..", "io.edgeloop.packager..",
                    "com.google.protobuf..", "ai.djl..", "io.moquette..", "org.h2..", "org.flywaydb..")
            .because("the agent depends on the package format only, not on the packager (README.md, Architecture)");

    /** Contracts carry no implementation: protocol needs nothing of EdgeLoop's and no framework beyond Jackson. */
    @ArchTest
    static final ArchRule protocolStandsAlone = classes().that().resideInAPackage("io.edgeloop.protocol..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.edgeloop.protocol..", "java..",
                    "com.fasterxml.jackson..")
            .because("protocol imports no other EdgeLoop module (README.md, Architecture)");

    /** The package format is what an agent may use of packages: it knows nothing of who builds or serves them. */
    @ArchTest
    static final ArchRule packageFormatStandsAlone = noClasses().that().resideInAPackage("io.edgeloop.packageformat..")
            .should().dependOnClassesThat().resideInAnyPackage("io.edgeloop.packager..", "io.edgeloop.agent..",
                    "io.edgeloop.server..", "com.google.protobuf..", "ai.djl..")
            .because("package-format imports no packager, agent or server (README.md, Architecture)");

    /** The device-class catalog and probe serve both sides; they depend on protocol only. */
    @ArchTest
    static final ArchRule profilesDependOnProtocolOnly = noClasses().that().resideInAPackage("io.edgeloop.profiles..")
            .should().dependOnClassesThat().resideInAnyPackage("io.edgeloop.packageformat..", "io.edgeloop.packager..",
                    "io.edgeloop.agent..", "io.edgeloop.server..")
            .because("device-profiles depends on protocol only (README.md, Architecture)");

    /** The packager builds packages; serving them is the agent's. */
    @ArchTest
    static final ArchRule packagerNeverUsesAgentOrServer = noClasses().that().resideInAPackage("io.edgeloop.packager..")
            .should().dependOnClassesThat().resideInAnyPackage("io.edgeloop.agent..", "io.edgeloop.server..")
            .because("model-packager is a library of the server and the CLI (README.md, Architecture)");

    /**
     * Rollout policy decides from its inputs alone (the time passed in), so the rollout engine's
     * decisions replay from what its database holds: no JDBC, HTTP, MQTT or other server code.
     */
    @ArchTest
    static final ArchRule rolloutPolicyIsPure = classes().that().resideInAPackage("io.edgeloop.server.rollout.policy..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.edgeloop.server.rollout.policy..",
                    "io.edgeloop.protocol..", "java.lang..", "java.util..", "java.time..",
                    "org.apache.commons.statistics.inference..")
            .because("rollout policy is pure: no JDBC, no Vert.x, no MQTT, clock passed in (TEAM.md, rollout policy API)");

    /** ... and reads no clock of its own. */
    @ArchTest
    static final ArchRule rolloutPolicyReadsNoClock = noClasses().that().resideInAPackage("io.edgeloop.server.rollout.policy..")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
            .because("the engine passes the time in, so a decision can be replayed");

    /**
     * The retraining policy decides from the evidence passed in (Contract 3): no JDBC, HTTP, MQTT,
     * other server code or clock of its own; its JSON is Jackson's.
     */
    @ArchTest
    static final ArchRule retrainingPolicyIsPure = classes().that().resideInAPackage("io.edgeloop.server.retraining.policy..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.edgeloop.server.retraining.policy..",
                    "java.lang..", "java.util..", "java.time..", "com.fasterxml.jackson..")
            .because("retraining policy is pure: no JDBC, no Vert.x, no MQTT, clock passed in (TEAM.md, Contract 3)");

    @ArchTest
    static final ArchRule retrainingPolicyReadsNoClock = noClasses().that()
            .resideInAPackage("io.edgeloop.server.retraining.policy..")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
            .because("the service passes the time in, so a decision can be replayed from its evidence");

    /**
     * The fleet simulator (edge-agent/fleet-simulator) runs many real agents in one JVM against a
     * server it reaches over REST and MQTT only, as devices do; nor does the server know it.
     */
    @ArchTest
    static final ArchRule simulatorNeverUsesTheServer = noClasses().that().resideInAPackage("io.edgeloop.simulator..")
            .should().dependOnClassesThat().resideInAnyPackage("io.edgeloop.server..", "io.edgeloop.packager..",
                    "io.moquette..", "org.h2..", "org.flywaydb..")
            .because("the simulator depends on edge-agent and protocol, never on fleet-server (README.md, Architecture)");

    /** The rule above has something to check: the simulator's classes are on this module's classpath. */
    @ArchTest
    static final ArchRule simulatorIsAnalysed = classes().that().haveFullyQualifiedName("io.edgeloop.simulator.SimulatedFleet")
            .should().dependOnClassesThat().resideInAPackage("io.edgeloop.agent..")
            .because("the simulator runs real agents");

    /** The server and the agent never reach into the simulator. */
    @ArchTest
    static final ArchRule nobodyUsesTheSimulator = noClasses().that().resideInAnyPackage("io.edgeloop.server..",
                    "io.edgeloop.agent..", "io.edgeloop.protocol..")
            .should().dependOnClassesThat().resideInAPackage("io.edgeloop.simulator..")
            .because("the simulator is a tool beside the fleet, not part of it");

    /** Test jars (the shared fixtures travel in model-packager's) hold tests and fixtures, not production code. */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    /** Modules form a graph that points one way. */
    @ArchTest
    static final ArchRule noCyclesBetweenModules = slices().matching("io.edgeloop.(*)..").should().beFreeOfCycles();

    /**
     * No two packages depend on each other, directly or around a loop: every package, a module's
     * root package included (e.g. {@code io.edgeloop.agent} and {@code io.edgeloop.agent.api}), is its own slice.
     */
    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("io.edgeloop.(**)").should().beFreeOfCycles();
}
