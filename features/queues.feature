@area:queues
Feature: Message queues and their limits
  Every Ksock has its own queue of messages waiting to be read, with a limit it may change at
  any time (100 to begin with). A listener whose queue is full simply misses a message, while
  everybody else still gets it; a replier whose queue is full makes the request fail. A Ksock
  that sends a request keeps one place in its own queue for the answer until it has read that
  answer, so a request is refused when the sender could not take its reply; and a reply always
  fits into the place kept for it.

  @Q-01 @spec:ioctls @extended
  Scenario: A new Ksock may queue 100 messages
    Given a Ksock "alice"
    Then the queue limit of "alice" is 100

  @Q-02 @spec:ioctls @extended
  Scenario: Setting the queue limit reports the new limit and affects only that Ksock
    Given the Ksocks "alice" and "bob"
    When "alice" sets its queue limit to 7
    Then it succeeds
    And it returns 7
    And the queue limit of "alice" is 7
    And the queue limit of "bob" is 100

  @Q-02 @spec:ioctls @extended
  Scenario: A read-only Ksock may change its queue limit
    Given a read-only Ksock "alice"
    When "alice" sets its queue limit to 3
    Then it succeeds
    And the queue limit of "alice" is 3

  @Q-03 @spec:queues-filling-up @extended
  Scenario: Lowering the limit below the number queued drops nothing
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "one"             |
    And "bob" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "two"             |
    And "bob" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "three"           |
    When "alice" sets its queue limit to 1
    Then it succeeds
    And "alice" has 3 messages queued
    And "alice" receives "$.Sensors.Kitchen" with:
      | data | "one" |
    And "alice" receives "$.Sensors.Kitchen" with:
      | data | "two" |
    And "alice" receives "$.Sensors.Kitchen" with:
      | data | "three" |
    And "alice" receives nothing

  @Q-04 @spec:ioctls @extended
  Scenario: The count of queued messages excludes the message being read
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.*"
    And "bob" has sent announcements "$.Sensors.Kitchen", "$.Sensors.Hall" and "$.Sensors.Garden"
    And "alice" has 3 messages queued
    When "alice" reads the next message
    Then "alice" has 2 messages queued
    When "alice" reads the next message
    Then "alice" has 1 message queued

  @Q-05 @spec:queues-filling-up @core @promise:lossy-delivery
  Scenario: A listener with a full queue misses the message while the others get it
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "alice" is limited to 1 message
    And "bob" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "first"           |
    When "bob" sends the message:
      | name | $.Sensors.Kitchen |
      | data | "second"          |
    Then it succeeds
    And "alice" has 1 message queued
    And "alice" receives "$.Sensors.Kitchen" with:
      | data | "first" |
    And "alice" receives nothing
    And "carol" receives "$.Sensors.Kitchen" with:
      | data | "first" |
    And "carol" receives "$.Sensors.Kitchen" with:
      | data | "second" |

  @Q-06 @spec:queues-filling-up @core @promise:request-reply
  Scenario Outline: A request to a replier whose queue is full fails (flags <flags>)
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "dave" listens to "$.Sensors.Kitchen"
    And the queue of "alice" is limited to 1 message
    And "carol" has sent a request "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | <flags>           |
    Then it fails with <errno>
    And the refused message of "bob" used up a message id
    And "alice" has 1 message queued
    And "dave" receives "$.Sensors.Kitchen" with:
      | id | carol's last request |
    And "dave" receives nothing

    Examples:
      | flags                     | errno  |
      | WANT_A_REPLY              | EBUSY  |
      | WANT_A_REPLY\|ALL_OR_FAIL | EBUSY  |
      | WANT_A_REPLY\|ALL_OR_WAIT | EAGAIN |

  @Q-07 @spec:queues-filling-up @core
  Scenario: Places a replier keeps for its own replies count towards its queue being full
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" is the replier for "$.Sensors.Hall"
    And the queue of "alice" is limited to 1 message
    And "alice" has sent a request "$.Sensors.Hall"
    And "alice" has 0 messages queued
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it fails with EBUSY
    And "alice" has 0 messages queued

  @Q-08 @spec:queues-filling-up @core @promise:request-reply
  Scenario: A Ksock with no room for the reply cannot send a request
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.Hall"
    And the queue of "bob" is limited to 1 message
    And "carol" has sent an announcement "$.Sensors.Hall"
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it fails with ENOLCK
    And the refused message of "bob" was given no message id
    And "alice" receives nothing

  @Q-08 @spec:queues-filling-up @core
  Scenario: A request refused for lack of room for its reply is thrown away
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.Hall"
    And the queue of "bob" is limited to 1 message
    And "carol" has sent an announcement "$.Sensors.Hall"
    And "bob" has been refused with ENOLCK when sending a request "$.Sensors.Kitchen"
    When "bob" sends what it has written again
    Then it fails with ENOMSG
    When "bob" sends an announcement "$.Sensors.Garden"
    Then it succeeds

  @Q-09 @spec:queues-filling-up @core
  Scenario: The replier reading a request does not give the requester its place back
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And the queue of "bob" is limited to 1 message
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it fails with ENOLCK

  @Q-09 @spec:queues-filling-up @core
  Scenario: The requester's place stays taken until it has read the reply
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And the queue of "bob" is limited to 1 message
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    And "alice" has replied to the request it read
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it fails with ENOLCK
    When "bob" reads the next message
    And "bob" sends a request "$.Sensors.Kitchen"
    Then it succeeds

  @Q-10 @spec:queues-filling-up @core
  Scenario: Announcements are sent whatever the state of the sender's own queue
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Hall"
    And the queue of "bob" is limited to 1 message
    And "bob" has sent a request "$.Sensors.Kitchen"
    When "bob" sends an announcement "$.Sensors.Hall"
    Then it succeeds
    And "carol" receives "$.Sensors.Hall" with:
      | from | bob |

  @Q-11 @spec:queues-filling-up @core @promise:guaranteed-reply
  Scenario: A reply fits into the place its requester kept for it
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And the queue of "bob" is limited to 1 message
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" replies to the request it read
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | in_reply_to | bob's last request |

  @Q-12 @spec:queues-filling-up @core
  Scenario Outline: A reply to a requester that shrank its queue below what it holds fails (flags <flags>)
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.Hall"
    And the queue of "bob" is limited to 2 messages
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "carol" has sent an announcement "$.Sensors.Hall"
    And the queue of "bob" is limited to 1 message
    And "alice" has read the next message
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen  |
      | to          | bob                |
      | in_reply_to | bob's last request |
      | flags       | <flags>            |
    Then it fails with <errno>
    And "alice" still owes 1 reply
    And "bob" receives "$.Sensors.Hall"
    And "bob" receives nothing

    Examples:
      | flags       | errno  |
      | 0           | EBUSY  |
      | ALL_OR_WAIT | EAGAIN |

  @Q-13 @spec:queues-filling-up @core
  Scenario: A queue can hold a thousand requests and then a thousand replies
    Given the Ksocks "alice" and "bob"
    And the queue of "alice" is limited to 1050 messages
    And the queue of "bob" is limited to 1050 messages
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent 1000 requests "$.Sensors.Kitchen"
    Then "alice" has 1000 messages queued
    When "alice" answers every request in its queue
    Then it succeeds
    And "alice" has 0 messages queued
    And "bob" has 1000 messages queued
