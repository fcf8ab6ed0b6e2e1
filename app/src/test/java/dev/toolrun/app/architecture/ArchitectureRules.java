package dev.toolrun.app.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/**
 * The layering of toolrun as rules: the picture of the architecture, checked on every build. The
 * Maven module graph enforces most of it first; these rules also catch what Maven cannot (a
 * framework reached through a transitive dependency, a misnamed port, a package named util).
 */
final class ArchitectureRules {
  static final String ROOT = "dev.toolrun";

  private ArchitectureRules() {}

  static final ArchRule domain_depends_on_java_only =
      classes()
          .that()
          .resideInAPackage("dev.toolrun.domain..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "dev.toolrun.domain..")
          .because("the domain is plain Java that any team can embed");

  static final ArchRule ports_depend_on_domain_only =
      classes()
          .that()
          .resideInAnyPackage("dev.toolrun.ports..", "dev.toolrun.application..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java..", "dev.toolrun.domain..", "dev.toolrun.ports..", "dev.toolrun.application..")
          .because(
              "use cases and their services know the domain and nothing of the technology around"
                  + " them");

  static final ArchRule no_framework_in_domain_or_ports =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.toolrun.domain..", "dev.toolrun.ports..", "dev.toolrun.application..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.fabric8..",
              "io.vertx..",
              "com.fasterxml..",
              "tools.jackson..",
              "com.networknt..",
              "com.google.inject..",
              "jakarta.inject..")
          .because("frameworks belong to adapters and the app");

  static final ArchRule adapters_do_not_depend_on_each_other =
      slices()
          .matching("dev.toolrun.adapter.(*)..")
          .should()
          .notDependOnEachOther()
          .because("each adapter can be swapped without touching another");

  static final ArchRule adapters_use_ports_not_application_services =
      noClasses()
          .that()
          .resideInAPackage("dev.toolrun.adapter..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.toolrun.application..")
          .because("adapters talk to the core through its ports; only the app builds the core");

  static final ArchRule nothing_depends_on_app =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.toolrun.app..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.toolrun.app..")
          .because("the app wires everything and nothing may reach back into it");

  /** The packages an adapter shows the app: its Guice module, its config and its no-Guice face. */
  static final String[] ADAPTER_ROOTS = {
    "dev.toolrun.adapter.k8s",
    "dev.toolrun.adapter.http",
    "dev.toolrun.adapter.mcp",
    "dev.toolrun.adapter.inmemory",
    "dev.toolrun.adapter.jsonschema",
    "dev.toolrun.adapter.logfile",
    "dev.toolrun.adapter.metrics"
  };

  static final ArchRule app_uses_adapters_through_their_root_packages =
      noClasses()
          .that()
          .resideInAPackage("dev.toolrun.app..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.toolrun.adapter..").and(not(resideInAnyPackage(ADAPTER_ROOTS))))
          .because(
              "an adapter's root package is its face to the app (its Guice module, its config and"
                  + " its no-Guice entry point); what lies in its sub-packages may change without"
                  + " the app noticing");

  static final ArchRule driving_ports_are_use_cases =
      classes()
          .that()
          .resideInAPackage("dev.toolrun.ports.in..")
          .and()
          .areInterfaces()
          .and()
          .areTopLevelClasses()
          .should()
          .haveSimpleNameEndingWith("UseCase")
          .because("a driving port is one use case");

  static final ArchRule no_catch_all_packages =
      noClasses()
          .should()
          .resideInAnyPackage("..util..", "..utils..", "..common..", "..impl..", "..helper..")
          .because("packages are named after capabilities");

  static final ArchRule no_standard_streams =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  static final ArchRule no_java_util_logging =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  static final ArchRule no_field_injection =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;

  static final ArchRule no_generic_exceptions =
      GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
}
