import type {} from '../shops/hooks';

/** What the follows plugin fires and the jobs it runs. */
declare module '@agora/core' {
  interface ActionMap {
    /** After the follow was committed; `count` is the shop's follower count now. */
    'follows.shop.followed': [follow: { userId: number; shopId: number; count: number }];
    'follows.shop.unfollowed': [follow: { userId: number; shopId: number; count: number }];
  }
  interface JobMap {
    /** Gives every follower of a shop (as of the event) one in-app notification, in batches. */
    'follows.fanout': {
      kind: 'published' | 'discounted' | 'restocked';
      productId: number;
      shopId: number;
      /** For a discount: the price before and after, in minor units. */
      previousPrice?: number;
      price?: number;
      /** Who is told (default followers): `favourites` for the people who favourited a discounted or restocked product. */
      audience?: 'followers' | 'favourites';
      /** Unique per event: the product and, for a discount, the change that made it. */
      eventKey: string;
    };
    /** Sends one shop's window of events: one email per follower who wants them. */
    'follows.digest': { digestId: number };
    /** Opens windows for notifications left waiting by a job that stopped between its steps. */
    'follows.sweep': Record<string, never>;
  }
}

export {};
