package dev.toolrun.app.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.toolrun.adapter.http.archviolation.HttpAdapterReachingIntoK8s;
import dev.toolrun.adapter.k8s.archviolation.AdapterReachingIntoApp;
import dev.toolrun.adapter.k8s.archviolation.AdapterUsingApplicationService;
import dev.toolrun.app.archviolation.AppReachingIntoAnAdaptersInside;
import dev.toolrun.application.archviolation.ServiceUsingGuice;
import dev.toolrun.domain.archviolation.DomainUsingJackson;
import dev.toolrun.domain.archviolation.DomainUsingVertx;
import dev.toolrun.domain.archviolation.util.UtilityBucket;
import dev.toolrun.ports.in.archviolation.LaunchSomething;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the rules on toolrun's production classes, and proves each rule can fail by feeding it a
 * class that breaks it (the violating classes live in this module's test sources only).
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // The other modules arrive as jars; their test-jars (contract tests, fixtures) are not
            // production code.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages(ArchitectureRules.ROOT);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("domain_depends_on_java_only", ArchitectureRules.domain_depends_on_java_only),
        Arguments.of("ports_depend_on_domain_only", ArchitectureRules.ports_depend_on_domain_only),
        Arguments.of(
            "no_framework_in_domain_or_ports", ArchitectureRules.no_framework_in_domain_or_ports),
        Arguments.of(
            "adapters_do_not_depend_on_each_other",
            ArchitectureRules.adapters_do_not_depend_on_each_other),
        Arguments.of(
            "adapters_use_ports_not_application_services",
            ArchitectureRules.adapters_use_ports_not_application_services),
        Arguments.of("nothing_depends_on_app", ArchitectureRules.nothing_depends_on_app),
        Arguments.of(
            "app_uses_adapters_through_their_root_packages",
            ArchitectureRules.app_uses_adapters_through_their_root_packages),
        Arguments.of("driving_ports_are_use_cases", ArchitectureRules.driving_ports_are_use_cases),
        Arguments.of("no_catch_all_packages", ArchitectureRules.no_catch_all_packages),
        Arguments.of("no_standard_streams", ArchitectureRules.no_standard_streams),
        Arguments.of("no_java_util_logging", ArchitectureRules.no_java_util_logging),
        Arguments.of("no_field_injection", ArchitectureRules.no_field_injection),
        Arguments.of("no_generic_exceptions", ArchitectureRules.no_generic_exceptions));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void productionCodeFollowsTheRule(String name, ArchRule rule) {
    rule.check(production);
  }

  @Test
  void everyLayerTheRulesNameExists() {
    for (String layer :
        new String[] {
          "dev.toolrun.domain.tool",
          "dev.toolrun.domain.instance",
          "dev.toolrun.domain.error",
          "dev.toolrun.ports.in",
          "dev.toolrun.ports.out",
          "dev.toolrun.application",
          "dev.toolrun.adapter.inmemory",
          "dev.toolrun.adapter.k8s",
          "dev.toolrun.adapter.http",
          "dev.toolrun.adapter.mcp",
          "dev.toolrun.adapter.jsonschema",
          "dev.toolrun.adapter.logfile",
          "dev.toolrun.app"
        }) {
      assertThat(production.containPackage(layer)).as(layer).isTrue();
    }
  }

  @Test
  void theAppUsesEachAdapterThroughItsRootPackage() {
    Set<String> reached =
        production.stream()
            .filter(type -> type.getPackageName().startsWith("dev.toolrun.app"))
            .flatMap(type -> type.getDirectDependenciesFromSelf().stream())
            .map(dependency -> dependency.getTargetClass().getPackageName())
            .filter(target -> target.startsWith("dev.toolrun.adapter."))
            .collect(Collectors.toSet());

    assertThat(reached).containsExactlyInAnyOrder(ArchitectureRules.ADAPTER_ROOTS);
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of(ArchitectureRules.domain_depends_on_java_only, DomainUsingVertx.class),
        Arguments.of(ArchitectureRules.no_framework_in_domain_or_ports, DomainUsingJackson.class),
        Arguments.of(ArchitectureRules.ports_depend_on_domain_only, ServiceUsingGuice.class),
        Arguments.of(ArchitectureRules.no_framework_in_domain_or_ports, ServiceUsingGuice.class),
        Arguments.of(
            ArchitectureRules.adapters_do_not_depend_on_each_other,
            HttpAdapterReachingIntoK8s.class),
        Arguments.of(
            ArchitectureRules.adapters_use_ports_not_application_services,
            AdapterUsingApplicationService.class),
        Arguments.of(ArchitectureRules.nothing_depends_on_app, AdapterReachingIntoApp.class),
        Arguments.of(
            ArchitectureRules.app_uses_adapters_through_their_root_packages,
            AppReachingIntoAnAdaptersInside.class),
        Arguments.of(ArchitectureRules.driving_ports_are_use_cases, LaunchSomething.class),
        Arguments.of(ArchitectureRules.no_catch_all_packages, UtilityBucket.class),
        Arguments.of(ArchitectureRules.no_standard_streams, DomainUsingVertx.class));
  }

  @ParameterizedTest(name = "{0} catches {1}")
  @MethodSource("violations")
  void theRuleCatchesAViolation(ArchRule rule, Class<?> violator) {
    // The class it depends on is imported too: a dependency rule needs both ends.
    JavaClasses withViolation =
        new ClassFileImporter().importClasses(violator, AdapterReachingIntoApp.class);

    assertThatThrownBy(() -> rule.check(withViolation)).isInstanceOf(AssertionError.class);
  }
}
