@area:binding
Feature: Binding and unbinding
  A Ksock receives messages only through its bindings: each BIND adds one binding (as listener
  or as replier) for one name, and each UNBIND removes exactly one binding that matches it in
  name and kind. Removing a binding also removes the copies that were queued through it and
  are still waiting to be read, but never the message being read nor requests already taken
  on. Closing a Ksock removes its bindings and nobody else's.

  @BIND-01 @spec:listeners @core @promise:broadcast
  Scenario: A listener binding delivers matching announcements
    Given the Ksocks "alice" and "bob"
    When "alice" binds as a listener to "$.Sensors.Kitchen"
    Then it succeeds
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then "alice" receives "$.Sensors.Kitchen" with:
      | from | bob |
    And "alice" receives nothing

  @BIND-01 @spec:listeners @core @promise:broadcast
  Scenario: Unbinding a listener stops later deliveries to it
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it succeeds
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives nothing

  @BIND-01 @spec:listeners @core @promise:request-reply
  Scenario: A replier binding can be made and removed again
    Given a Ksock "alice"
    When "alice" binds as replier to "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" is the replier bound to "$.Sensors.Kitchen"
    When "alice" unbinds as replier from "$.Sensors.Kitchen"
    Then it succeeds
    And no replier is bound to "$.Sensors.Kitchen"

  @BIND-02 @spec:listeners @core @promise:broadcast
  Scenario: The same Ksock may listen to the same name several times
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    When "alice" binds as a listener to "$.Sensors.Kitchen"
    Then it succeeds
    When "alice" binds as a listener to "$.Sensors.Kitchen"
    Then it succeeds
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then "alice" has 3 messages queued

  @BIND-03 @spec:repliers @core
  Scenario: A Ksock may be both replier and listener for one name
    Given a Ksock "alice"
    And "alice" is the replier for "$.Sensors.Kitchen"
    When "alice" binds as a listener to "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" is the replier bound to "$.Sensors.Kitchen"

  @BIND-03 @spec:repliers @core
  Scenario: A listener may also take the replier binding for the same name
    Given a Ksock "alice"
    And "alice" listens to "$.Sensors.Kitchen"
    When "alice" binds as replier to "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" is the replier bound to "$.Sensors.Kitchen"

  @BIND-04 @spec:ioctls @extended @needs:bad-pointers
  Scenario Outline: <operation> with an unusable argument pointer fails with EFAULT
    Given a Ksock "alice"
    When "alice" calls <operation> with an unusable argument pointer
    Then it fails with EFAULT

    Examples:
      | operation |
      | BIND      |
      | UNBIND    |

  @BIND-05 @spec:listeners @core
  Scenario Outline: Unbinding must name a listener binding exactly as it was made (<case>)
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "<bound>"
    When "alice" unbinds as a listener from "<unbound>"
    Then it fails with EINVAL
    And "bob" sends an announcement "<sent>"
    And "alice" receives "<sent>"

    Examples:
      | case                               | bound             | unbound           | sent              |
      | another name                       | $.Sensors.Kitchen | $.Sensors.Hall    | $.Sensors.Kitchen |
      | different case                     | $.Sensors.Kitchen | $.Sensors.kitchen | $.Sensors.Kitchen |
      | a name the wildcard covers         | $.Sensors.*       | $.Sensors.Kitchen | $.Sensors.Kitchen |
      | a wildcard covering the bound name | $.Sensors.Kitchen | $.Sensors.*       | $.Sensors.Kitchen |
      | the other kind of wildcard         | $.Sensors.%       | $.Sensors.*       | $.Sensors.Hall    |

  @BIND-05 @spec:listeners @core
  Scenario: Unbinding a name the Ksock never bound is refused
    Given a Ksock "alice"
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it fails with EINVAL

  @BIND-05 @spec:listeners @core
  Scenario: Unbinding a binding that was already removed is refused
    Given a Ksock "alice"
    And "alice" listens to "$.Sensors.Kitchen"
    And "alice" has unbound as a listener from "$.Sensors.Kitchen"
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it fails with EINVAL

  @BIND-05 @spec:listeners @core
  Scenario: Unbinding as replier does not remove a listener binding
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    When "alice" unbinds as replier from "$.Sensors.Kitchen"
    Then it fails with EINVAL
    And "bob" sends an announcement "$.Sensors.Kitchen"
    And "alice" receives "$.Sensors.Kitchen"

  @BIND-05 @spec:listeners @core
  Scenario: Unbinding as a listener does not remove a replier binding
    Given a Ksock "alice"
    And "alice" is the replier for "$.Sensors.Kitchen"
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it fails with EINVAL
    And "alice" is the replier bound to "$.Sensors.Kitchen"

  @BIND-05 @spec:listeners @core
  Scenario: A Ksock cannot unbind another Ksock's binding
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it fails with EINVAL
    And "carol" sends an announcement "$.Sensors.Kitchen"
    And "bob" receives "$.Sensors.Kitchen"

  @BIND-06 @spec:message-names @core
  Scenario Outline: Unbinding checks the name like binding does (<case>)
    Given a Ksock "alice"
    When "alice" <unbinds>
    Then it fails with <errno>

    Examples:
      | case                 | unbinds                                               | errno        |
      | empty name           | unbinds as a listener with a name_len of 0            | EBADMSG      |
      | just a dollar        | unbinds as a listener from "$"                        | EBADMSG      |
      | not starting with $. | unbinds as a listener from "Sensors.Kitchen"          | EBADMSG      |
      | empty word           | unbinds as a listener from "$.Sensors..Kitchen"       | EBADMSG      |
      | trailing dot         | unbinds as replier from "$.Sensors.Kitchen."          | EBADMSG      |
      | bad character        | unbinds as a listener from "$.Sensors.Kitchen-Sink"   | EBADMSG      |
      | wildcard inside      | unbinds as a listener from "$.Sensors.*.Kitchen"      | EBADMSG      |
      | 1001 bytes           | unbinds as a listener from a valid name of 1001 bytes | ENAMETOOLONG |

  @BIND-07 @spec:listeners @core @promise:broadcast
  Scenario: Unbinding removes only the queued copies that came through that binding
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    And "alice" listens to "$.Sensors.*"
    And "bob" has sent announcements "$.Sensors.Kitchen", "$.Sensors.Hall" and "$.Sensors.Kitchen"
    And "alice" has 5 messages queued
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" has 3 messages queued
    And "alice" receives, in order:
      | $.Sensors.Kitchen |
      | $.Sensors.Hall    |
      | $.Sensors.Kitchen |
    And "alice" receives nothing

  @BIND-07 @spec:listeners @core
  Scenario: Unbinding a listener leaves the requests queued through the replier binding
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has 2 messages queued
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
      | id    | bob's last request              |
    And "alice" receives nothing

  @BIND-08 @spec:listeners @extended
  Scenario: Of several identical bindings, unbinding removes the newest one
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "first"           |
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "second"          |
    And "alice" has 3 messages queued
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" has 2 messages queued
    And "alice" receives "$.Sensors.Kitchen" with:
      | data | "first" |
    And "alice" receives "$.Sensors.Kitchen" with:
      | data | "second" |
    And "alice" receives nothing

  @BIND-09 @spec:listeners @core
  Scenario: Unbinding leaves the message being read intact
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "21 degrees"      |
    And "alice" has popped the next message without reading it
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" can still read all of its current message, which has:
      | name | $.Sensors.Kitchen |
      | from | bob               |
      | data | "21 degrees"      |

  @BIND-09 @spec:listeners @core @promise:request-reply
  Scenario: A replier that unbinds may still answer a request it already took
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" unbinds as replier from "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" still owes 1 reply
    When "alice" replies to the request it read
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | from        | alice              |
      | in_reply_to | bob's last request |
    And "bob" receives nothing

  @BIND-10 @spec:ksocks @core
  Scenario: Closing a Ksock removes all its bindings and no one else's
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" listens to "$.Sensors.Kitchen"
    And "alice" is the replier for "$.Sensors.Hall"
    And "carol" listens to "$.Sensors.Kitchen"
    And "carol" is the replier for "$.Sensors.Garden"
    When "alice" is closed
    Then it succeeds
    And no replier is bound to "$.Sensors.Hall"
    And "carol" is the replier bound to "$.Sensors.Garden"
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then "carol" receives "$.Sensors.Kitchen"
    When "dave" binds as replier to "$.Sensors.Hall"
    Then it succeeds

  @BIND-11 @spec:repliers @core @promise:request-reply
  Scenario: Once the only replier has unbound, requests for the name cannot be sent
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And "alice" has unbound as replier from "$.Sensors.Kitchen"
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it fails with EADDRNOTAVAIL
    And "carol" receives nothing
    And "alice" receives nothing

  @BIND-12 @spec:ksocks @extended
  Scenario: A read-only Ksock may bind as a listener and receive
    Given a read-only Ksock "alice"
    And a Ksock "bob"
    When "alice" binds as a listener to "$.Sensors.Kitchen"
    Then it succeeds
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then "alice" receives "$.Sensors.Kitchen"

  @BIND-12 @spec:ksocks @extended
  Scenario: A read-only Ksock may bind as replier and receive requests
    Given a read-only Ksock "alice"
    And a Ksock "bob"
    When "alice" binds as replier to "$.Sensors.Kitchen"
    Then it succeeds
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |

  @ORD-04 @spec:error-numbers @extended
  Scenario: Binding a name that is both too long and malformed reports the length
    Given a Ksock "alice"
    When "alice" binds as a listener to a malformed name of 1001 bytes
    Then it fails with ENAMETOOLONG

  @ORD-04 @spec:error-numbers @extended
  Scenario: Binding an empty name reports a bad name, not a length error
    Given a Ksock "alice"
    When "alice" binds as a listener with a name_len of 0
    Then it fails with EBADMSG

  @ORD-04 @spec:error-numbers @extended
  Scenario: A duplicate replier is refused before any bind event is attempted
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And the queue of "carol" is limited to 1 message
    And "carol" has turned on reporting of replier binds
    And "carol" has 1 message queued
    When "bob" binds as replier to "$.Sensors.Kitchen"
    Then it fails with EADDRINUSE
    And "alice" is the replier bound to "$.Sensors.Kitchen"
    And "carol" has 1 message queued

  @ORD-04 @spec:error-numbers @extended
  Scenario: A bind that passes every check but cannot announce itself fails with EAGAIN
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Hall"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And the queue of "carol" is limited to 1 message
    And "carol" has turned on reporting of replier binds
    And "carol" has 1 message queued
    When "bob" binds as replier to "$.Sensors.Kitchen"
    Then it fails with EAGAIN
    And no replier is bound to "$.Sensors.Kitchen"

  @ORD-05 @spec:error-numbers @extended
  Scenario: Unbinding a malformed name reports the bad name before the missing binding
    Given a Ksock "alice"
    When "alice" unbinds as replier from "$.Sensors..Kitchen"
    Then it fails with EBADMSG

  @ORD-05 @spec:error-numbers @extended
  Scenario: Unbinding a name that is both too long and malformed reports the length
    Given a Ksock "alice"
    When "alice" unbinds as a listener from a malformed name of 1001 bytes
    Then it fails with ENAMETOOLONG

  @ORD-05 @spec:error-numbers @extended
  Scenario: An unbind that cannot announce itself removes nothing
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And the queue of "carol" is limited to 1 message
    And "carol" has turned on reporting of replier binds
    And "carol" has 1 message queued
    When "alice" unbinds as replier from "$.Sensors.Kitchen"
    Then it fails with EAGAIN
    And "alice" is the replier bound to "$.Sensors.Kitchen"
    And "alice" has 1 message queued
    And "bob" has 0 messages queued
