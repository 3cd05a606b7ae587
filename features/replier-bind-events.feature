@area:replier-bind-events
Feature: Replier bind events
  A bus can be asked to report replier bindings. While reporting is on, every replier BIND and
  UNBIND is announced as "$.KBUS.ReplierBindEvent", a message from KBUS itself whose data says
  whether a name was bound or unbound, by which Ksock, and which name. Listener bindings are
  never reported. Events reach every listener or nobody: a replier BIND or UNBIND that some
  listener has no room to hear about fails with EAGAIN and changes nothing. Closing a Ksock
  cannot fail, so the unbind events it causes wait for room on a list of their own (counted by
  NUMMSGS, fed into the queue one at a time), and a listener whose events overflow that list is
  told once, with "$.KBUS.UnbindEventsLost", that some were lost.

  Unless a scenario is about switching reporting on, "alice" switches it on before any replier
  binds, so that doing so queues nothing. Where an event listener must have no room, it mostly holds
  one message from "$.Sensors.Porch" in a queue limited to one.

  # The kernel adapter switches reporting off before every scenario, so the first row cannot fail there.
  @RBE-01 @spec:ioctls @extended @cannot-fail-under:kernel
  Scenario: Replier-bind reporting starts off and each switch returns the previous state
    Given a Ksock "alice"
    Then successive replier-bind reporting calls on "alice" return:
      | argument   | returns |
      | 0xFFFFFFFF | 0       |
      | 1          | 0       |
      | 0xFFFFFFFF | 1       |
      | 1          | 1       |
      | 0          | 1       |
      | 0          | 0       |
      | 0xFFFFFFFF | 0       |

  @RBE-01 @spec:ioctls @extended @needs:new-device
  Scenario: A device made by NEWDEVICE starts with replier-bind reporting off, whatever other buses were set to
    Given a Ksock "alice"
    And "alice" has turned on reporting of replier binds
    And "alice" has created a new device
    And a Ksock "carol" on the new device
    Then successive replier-bind reporting calls on "carol" return:
      | argument   | returns |
      | 0xFFFFFFFF | 0       |

  @RBE-01 @spec:ioctls @extended
  Scenario: Replier-bind reporting switched on through one Ksock is on for the whole bus
    Given the Ksocks "alice" and "bob"
    When "alice" sets replier-bind reporting with argument 1
    Then it returns 0
    And replier-bind reporting is on as seen by "bob"

  @RBE-02 @spec:ioctls @extended
  Scenario Outline: Replier-bind reporting refuses the argument <argument>
    Given a Ksock "alice"
    When "alice" sets replier-bind reporting with argument <argument>
    Then it fails with EINVAL
    And replier-bind reporting is off as seen by "alice"

    Examples:
      | argument   |
      | 2          |
      | 0x80000000 |
      | 0xFFFFFFFE |

  @RBE-03 @spec:ioctls @extended
  Scenario: With reporting on, binding a replier announces who bound which name
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    When "bob" binds as replier to "$.Sensors.Kitchen"
    Then it succeeds
    And "carol" receives a replier bind event saying "bob" bound "$.Sensors.Kitchen"
    And "carol" receives nothing
    And "bob" is the replier bound to "$.Sensors.Kitchen"

  @RBE-04 @spec:ioctls @extended
  Scenario: With reporting on, unbinding a replier announces who gave up which name
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    When "bob" unbinds as replier from "$.Sensors.Kitchen"
    Then it succeeds
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Kitchen"
    And "carol" receives nothing
    And no replier is bound to "$.Sensors.Kitchen"

  @RBE-05 @spec:ioctls @extended
  Scenario: Listener bindings are never announced
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "bob" listens to "$.Sensors.Kitchen"
    And "bob" has unbound as a listener from "$.Sensors.Kitchen"
    Then "carol" receives nothing

  @RBE-05 @spec:ioctls @extended
  Scenario: Listener bindings never wait for room in an event listener's queue
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    When "bob" binds as a listener to "$.Sensors.Kitchen"
    Then it succeeds
    When "bob" unbinds as a listener from "$.Sensors.Kitchen"
    Then it succeeds
    And "carol" receives "$.Sensors.Porch"
    And "carol" receives nothing

  @RBE-06 @spec:ioctls @extended
  Scenario Outline: The event for "<name>" carries <data_len> bytes of data: three words, then the name padded with zeros
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "bob" is the replier for "<name>"
    When "carol" reads the next message
    Then the replier bind event "carol" read is <data_len> bytes: is_bind 1, binder "bob", name length <name_len>, then "<name>" and zeros

    Examples:
      | name     | name_len | data_len |
      | $.A      | 3        | 16       |
      | $.Fred   | 6        | 20       |
      | $.Fredd  | 7        | 20       |
      | $.Freddy | 8        | 24       |

  @RBE-07 @spec:ioctls @extended
  Scenario: A replier bind event comes from KBUS, to nobody in particular, flagged SYNTHETIC and ALL_OR_FAIL
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "alice" has sent an announcement "$.Sensors.Porch"
    When "bob" binds as replier to "$.Sensors.Kitchen"
    Then "carol" receives "$.KBUS.ReplierBindEvent" with:
      | from        | 0                       |
      | to          | 0                       |
      | in_reply_to | [0:0]                   |
      | orig_from   | [0:0]                   |
      | final_to    | [0:0]                   |
      | extra       | 0                       |
      | flags       | SYNTHETIC\|ALL_OR_FAIL |
    And the message "carol" read last has a KBUS id newer than "alice's last announcement"

  @RBE-08 @spec:ioctls @extended
  Scenario: A replier bind that one event listener has no room to hear about fails with EAGAIN and binds nothing
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" has turned on reporting of replier binds
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "dave" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    When "bob" binds as replier to "$.Sensors.Kitchen"
    Then it fails with EAGAIN
    And no replier is bound to "$.Sensors.Kitchen"
    And "dave" receives nothing
    And "carol" has 1 message queued

  @RBE-08 @spec:ioctls @extended
  Scenario: A replier unbind that one event listener has no room to hear about fails with EAGAIN and unbinds nothing
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "dave" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    When "bob" unbinds as replier from "$.Sensors.Kitchen"
    Then it fails with EAGAIN
    And "bob" is the replier bound to "$.Sensors.Kitchen"
    And "dave" receives nothing
    And "carol" has 1 message queued

  @RBE-09 @spec:ioctls @extended
  Scenario: A second replier for a name gets EADDRINUSE, not EAGAIN, when its event could not be delivered
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    When "dave" binds as replier to "$.Sensors.Kitchen"
    Then it fails with EADDRINUSE
    And "bob" is the replier bound to "$.Sensors.Kitchen"
    And "carol" has 1 message queued

  @RBE-10 @spec:ioctls @extended
  Scenario: Unbinding a replier binding that does not exist fails with EINVAL and announces nothing
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    When "bob" unbinds as replier from "$.Sensors.Kitchen"
    Then it fails with EINVAL
    And "carol" receives nothing

  @RBE-11 @spec:ioctls @extended
  Scenario: Switching reporting on tells the caller alone about every replier already bound, newest first
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.Hall"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    When "alice" sets replier-bind reporting with argument 1
    Then it returns 0
    And "alice" receives a replier bind event saying "bob" bound "$.Sensors.Hall"
    And "alice" receives a replier bind event saying "bob" bound "$.Sensors.Kitchen"
    And "alice" receives nothing
    And "carol" receives nothing

  @RBE-11 @spec:ioctls @extended
  Scenario: Switching reporting on fails with EBUSY when the caller cannot hold every existing replier, yet stays on
    Given the Ksocks "alice" and "bob"
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.Hall"
    And the queue of "alice" is limited to 1 message
    When "alice" sets replier-bind reporting with argument 1
    Then it fails with EBUSY
    And replier-bind reporting is on as seen by "bob"
    And "alice" has 1 message queued

  @RBE-12 @spec:ioctls @extended
  Scenario: With reporting off again, a replier bind that had no room to be announced succeeds silently
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" has turned on reporting of replier binds
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "dave" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    And "bob" has been refused with EAGAIN when binding as replier to "$.Sensors.Kitchen"
    And "alice" has turned off reporting of replier binds
    When "bob" binds as replier to "$.Sensors.Kitchen"
    Then it succeeds
    And "bob" is the replier bound to "$.Sensors.Kitchen"
    And "dave" receives nothing
    And "carol" has 1 message queued

  @RBE-13 @spec:ioctls @extended
  Scenario: Closing a replier succeeds when an event listener has no room, and the unbind event arrives later
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    When "bob" is closed
    Then it succeeds
    And no replier is bound to "$.Sensors.Kitchen"
    And "carol" receives "$.Sensors.Porch"
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Kitchen"
    And "carol" receives nothing

  @RBE-14 @spec:ioctls @extended
  Scenario: Events waiting for room count as queued and enter the queue one per NEXTMSG, in order
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.Hall"
    And "bob" is the replier for "$.Sensors.Garden"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    When "bob" is closed
    Then "carol" has 4 messages queued
    And "carol" receives "$.Sensors.Porch"
    And "carol" has 3 messages queued
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Garden"
    And "carol" has 2 messages queued
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Hall"
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Kitchen"
    And "carol" has 0 messages queued
    And "carol" receives nothing

  @RBE-14 @spec:ioctls @extended
  Scenario: An unbind that frees room lets one waiting event into the queue
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.Hall"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    And "bob" has been closed
    When "carol" unbinds as a listener from "$.Sensors.Porch"
    Then it succeeds
    And "carol" has 2 messages queued
    And "carol" is readable
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Hall"
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Kitchen"
    And "carol" receives nothing

  @RBE-13 @BIND-07 @spec:ioctls @extended @spec-over-module
  Scenario: A waiting unbind event let in by an unbind stays queued when a later binding is made and undone
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "alice" listens to "$.KBUS.*"
    And the queue of "alice" is limited to 1 message
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.*"
    And "alice" has sent an announcement "$.Sensors.Hall"
    And "bob" has been closed
    And "carol" has unbound as a listener from "$.*"
    And "carol" listens to "$.Sensors.Porch"
    When "carol" unbinds as a listener from "$.Sensors.Porch"
    Then it succeeds
    And "carol" has 1 message queued
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Kitchen"
    And "carol" receives nothing

  @RBE-15 @spec:ioctls @extended
  Scenario: When more unbind events wait than the bus can keep, the listener left short is told once that some were lost
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for the 1001 names "$.Sensors.1" to "$.Sensors.1001"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    When "bob" is closed
    Then it succeeds
    And "carol" has 1002 messages queued
    And "carol" receives "$.Sensors.Porch"
    And "carol" receives 1000 replier bind events saying "bob" unbound a name
    And "carol" receives "$.KBUS.UnbindEventsLost" with:
      | from        | 0         |
      | to          | 0         |
      | in_reply_to | [0:0]     |
      | flags       | SYNTHETIC |
      | data        | none      |
    And "carol" receives nothing

  @RBE-15 @spec:ioctls @extended
  Scenario: While the list of waiting events is overflowing, later unbind events are lost without a second notice
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for the 1001 names "$.Sensors.1" to "$.Sensors.1001"
    And "dave" is the replier for "$.Lights.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    And "bob" has been closed
    When "dave" is closed
    Then it succeeds
    And "carol" has 1002 messages queued

  @RBE-16 @spec:ioctls @extended
  Scenario: Draining one listener's waiting events frees only that listener
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "dave" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And "dave" listens to "$.Sensors.Porch"
    And "carol" listens to "$.Doorbell.Carol"
    And "dave" listens to "$.Doorbell.Dave"
    And the queue of "carol" is limited to 1 message
    And the queue of "dave" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    And "bob" has been closed
    And "carol" has read the next message
    And "carol" has read the next message
    When "alice" sends the message:
      | name  | $.Doorbell.Carol |
      | flags | ALL_OR_WAIT      |
    Then it succeeds
    And "carol" has 1 message queued
    And "dave" has 2 messages queued
    When "alice" sends the message:
      | name  | $.Doorbell.Dave |
      | flags | ALL_OR_WAIT     |
    Then it fails with EAGAIN

  @RBE-17 @spec:ioctls @extended
  Scenario: The unbind events of one close come newest binding first
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.Hall"
    And "bob" is the replier for "$.Sensors.Garden"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    When "bob" is closed
    Then "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Garden"
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Hall"
    And "carol" receives a replier bind event saying "bob" unbound "$.Sensors.Kitchen"
    And "carol" receives nothing

  @RBE-18 @spec:ioctls @extended
  Scenario: Unbinding from replier bind events throws away the events still waiting for room
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.Hall"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Sensors.Porch"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Porch"
    And "bob" has been closed
    And "carol" has 3 messages queued
    When "carol" unbinds as a listener from "$.KBUS.ReplierBindEvent"
    Then it succeeds
    And "carol" has 1 message queued
    And "carol" receives "$.Sensors.Porch"
    And "carol" receives nothing

  @RBE-19 @spec:ioctls @extended
  Scenario: Events waiting for room do not make a Ksock readable
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" has turned on reporting of replier binds
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "dave" is the replier for "$.Lights.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And the queue of "carol" is limited to 1 message
    And "carol" has sent a request "$.Lights.Kitchen"
    When "bob" is closed
    Then it succeeds
    And "carol" has 1 message queued
    And "carol" is not readable

  @RBE-20 @spec:ioctls @extended
  Scenario: A Ksock listening for bind events hears about its own replier binding
    Given the Ksocks "alice" and "bob"
    And "alice" has turned on reporting of replier binds
    And "bob" listens to "$.KBUS.ReplierBindEvent"
    When "bob" binds as replier to "$.Sensors.Kitchen"
    Then it succeeds
    And "bob" receives a replier bind event saying "bob" bound "$.Sensors.Kitchen"
    And "bob" receives nothing
