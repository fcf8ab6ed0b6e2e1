package dev.toolrun.ports.in.archviolation;

/** Breaks the rules on purpose: a driving port whose name does not end in UseCase. */
public interface LaunchSomething {
  void launch();
}
