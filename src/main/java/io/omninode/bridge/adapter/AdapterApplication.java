package io.omninode.bridge.adapter;

import io.omninode.bridge.adapter.redrive.RedriveCommand;

import java.util.Arrays;

/**
 * The fat jar's entry point: {@code redrive ...} as the first argument runs the {@link RedriveCommand}
 * (plain Kafka clients, no Vert.x); anything else runs the adapter under Vert.x's launcher, from
 * start to stop as {@link Lifecycle} tells.
 */
public final class AdapterApplication {

  private AdapterApplication() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && RedriveCommand.NAME.equals(args[0])) {
      System.exit(RedriveCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    Lifecycle.launch(args);
  }
}
