package dev.toolrun.adapter.k8s;

/**
 * A door into toolrun from kubectl: it follows objects people apply (a Tool to register) and
 * answers on their status. It sends nothing until started; closing stops following.
 */
public interface KubernetesDoor extends AutoCloseable {
  /** A door that follows nothing: where its objects are not kept (records as ConfigMaps). */
  KubernetesDoor NONE =
      new KubernetesDoor() {
        @Override
        public void start() {}

        @Override
        public void close() {}
      };

  /** Starts following, once; waits until every existing object has been seen. */
  void start();

  @Override
  void close();
}
