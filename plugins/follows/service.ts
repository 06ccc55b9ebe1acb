import { followerCount, isFollowing } from './services/follow-service';

/** What follows answers for other plugins: counts and one person's follow, never a list of followers. */
export interface FollowsService {
  followerCount(shopId: number): Promise<number>;
  isFollowing(userId: number, shopId: number): Promise<boolean>;
}

declare module '@agora/core' {
  interface ServiceMap {
    follows: FollowsService;
  }
}

export function createFollowsService(): FollowsService {
  return { followerCount, isFollowing };
}
