package dev.tagflow.server.ui;

import dev.tagflow.reconcile.ApplicationRegistry;
import dev.tagflow.reconcile.ApplicationStatuses;
import dev.tagflow.reconcile.StatusChange;
import dev.tagflow.server.ControllerService;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Where the board reads applications, statuses and promotions, and hears changes. */
public interface BoardSource {

  /** Every registered application with its status. */
  List<Board.Entry> entries();

  /** One application with its status. */
  Optional<Board.Entry> entry(String application);

  /** The pending promotion requests. */
  List<PromotionRecord> pending();

  /**
   * Hears the name of each application whose status changed or that was removed (its entry is gone
   * then), after the change is stored, until the subscription closes.
   */
  ApplicationStatuses.Subscription subscribe(Consumer<String> changed);

  /** Whether a controller stands behind the board (a server without one shows an empty board). */
  boolean live();

  /** A server without a controller: no applications, no changes. */
  BoardSource NONE =
      new BoardSource() {
        @Override
        public List<Board.Entry> entries() {
          return List.of();
        }

        @Override
        public Optional<Board.Entry> entry(String application) {
          return Optional.empty();
        }

        @Override
        public List<PromotionRecord> pending() {
          return List.of();
        }

        @Override
        public ApplicationStatuses.Subscription subscribe(Consumer<String> changed) {
          return () -> {};
        }

        @Override
        public boolean live() {
          return false;
        }
      };

  /** The controller's registry, statuses and promotion store. */
  static BoardSource of(ControllerService controller) {
    return of(controller.reconciler().registry(), controller.statuses(), controller.promotions());
  }

  static BoardSource of(
      ApplicationRegistry registry, ApplicationStatuses statuses, PromotionStore promotions) {
    return new BoardSource() {
      @Override
      public List<Board.Entry> entries() {
        return registry.list().stream()
            .flatMap(
                registered ->
                    statuses.get(registered.application().name()).stream()
                        .map(status -> new Board.Entry(registered.application(), status)))
            .toList();
      }

      @Override
      public Optional<Board.Entry> entry(String application) {
        return registry
            .get(application)
            .flatMap(app -> statuses.get(application).map(s -> new Board.Entry(app, s)));
      }

      @Override
      public List<PromotionRecord> pending() {
        return promotions.list(Optional.of(PromotionRecord.PromotionState.PENDING));
      }

      @Override
      public ApplicationStatuses.Subscription subscribe(Consumer<String> changed) {
        return statuses.subscribe(
            change -> {
              if (change instanceof StatusChange.Updated
                  || change instanceof StatusChange.Removed) {
                changed.accept(change.application());
              }
            });
      }

      @Override
      public boolean live() {
        return true;
      }
    };
  }
}
