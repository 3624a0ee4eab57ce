package dev.tagflow.inventory;

import dev.tagflow.cluster.ObjectRef;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The objects one application owns in its destination cluster. Stale objects are the old inventory
 * minus the new one: what Git had and no longer has.
 */
public record Inventory(String application, SortedSet<ObjectRef> objects) {

  public Inventory {
    objects = Collections.unmodifiableSortedSet(new TreeSet<>(objects));
  }

  /** An application that owns nothing yet. */
  public static Inventory empty(String application) {
    return new Inventory(application, new TreeSet<>());
  }

  /** An inventory of these objects. */
  public static Inventory of(String application, Collection<ObjectRef> objects) {
    return new Inventory(application, new TreeSet<>(objects));
  }

  /** The objects here that {@code desired} no longer holds (old − new). */
  public List<ObjectRef> staleAfter(Collection<ObjectRef> desired) {
    TreeSet<ObjectRef> stale = new TreeSet<>(objects);
    stale.removeAll(new TreeSet<>(desired));
    return List.copyOf(stale);
  }

  /** This inventory with these objects added. */
  public Inventory with(Collection<ObjectRef> more) {
    TreeSet<ObjectRef> all = new TreeSet<>(objects);
    all.addAll(more);
    return new Inventory(application, all);
  }

  /** This inventory without these objects. */
  public Inventory without(Collection<ObjectRef> gone) {
    TreeSet<ObjectRef> all = new TreeSet<>(objects);
    all.removeAll(new TreeSet<>(gone));
    return new Inventory(application, all);
  }

  /** How many objects the application owns. */
  public int size() {
    return objects.size();
  }
}
